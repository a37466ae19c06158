"""Statistics: what is happening, counted without pointing at anyone.

Each completed screening leaves one row in ``facts`` (month, outcome, post,
nationality, age group, sex...) and its forms of exploitation, recruitment
channels and present indicators in ``fact_items``: no name, no free text, no
exact date, no reference. Counts from 1 to SCREENING_SMALL_NUMBER - 1 are shown
and exported as "<N" (default "<11") so that a rare combination cannot point at
a person. Officers count only their own screenings; supervisors and
administrators those of their organisation.
"""

import json
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from screening.db.connection import write_transaction
from screening.instrument.indicators import INDICATORS
from screening.instrument.questionnaire import BY_ID

AGE_GROUPS = (
    (0, 11, "0-11"),
    (12, 14, "12-14"),
    (15, 17, "15-17"),
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 59, "45-59"),
    (60, 200, "60+"),
)
UNKNOWN = "unknown"
# Keys of the referral counts: how many by status, and a histogram of whole hours to acknowledgement.
REFERRAL_KEY = "referral_status"
ACK_KEY = "ack_hours"
ITEM_KINDS = ("form", "channel", "indicator")

# The tables of the statistics page: key, title, and the SQL column or item kind.
TABLES = (
    ("month", _l("Screenings per month"), "month"),
    ("outcome", _l("By outcome"), "outcome"),
    ("post", _l("By post"), "post"),
    ("nationality", _l("By nationality"), "nationality"),
    ("age_group", _l("By age group"), "age_group"),
    ("sex", _l("By sex"), "sex"),
    ("form", _l("By form of exploitation"), "form"),
    ("channel", _l("By recruitment channel"), "channel"),
    ("indicator", _l("How often each indicator is present"), "indicator"),
)


def age_group(age, child):
    """Return the age group of an age (or "unknown", or "under 18" when only that is known)."""
    if isinstance(age, int):
        return next(label for low, high, label in AGE_GROUPS if low <= age <= high)
    return "under-18" if child else UNKNOWN


def _answer(answers, qid):
    value = answers.get(qid)
    return value if isinstance(value, str) and value not in ("unknown", "declined") else UNKNOWN


def record_facts(db, screening, answers, evidence, assessment, organisation):
    """Store (or replace) the statistical facts of one completed screening."""
    facts = {
        "screening_id": screening["id"],
        "month": screening["created_at"][:7],
        "officer_id": screening["officer_id"],
        "organisation": organisation or "",
        "post": screening["post"] or "",
        "outcome": assessment["outcome"],
        "rule": assessment["rule"],
        "urgent": int(assessment["urgent"]),
        "child": int(assessment["child"]),
        "age_group": age_group(evidence.get("age"), assessment["child"]),
        "sex": _answer(answers, "sex"),
        "nationality": _answer(answers, "nationality"),
        "stage": evidence.get("stage") or UNKNOWN,
    }
    channels = [v for v in answers.get("channel", []) if v not in ("none", "unknown", "declined")]
    present = [c for dim in assessment["dimensions"].values() for c in dim["present"]]
    items = [("form", f) for f in evidence.get("exploitation_forms", [])]
    items += [("channel", c) for c in channels] + [("indicator", c) for c in present]
    with write_transaction(db):
        old = list(db.query("select * from facts where screening_id = ?", [screening["id"]]))
        if old:
            old_items = [
                (r["kind"], r["value"])
                for r in db.query("select kind, value from fact_items where screening_id = ?", [screening["id"]])
            ]
            _count(db, old[0], old_items, -1)
        db["facts"].upsert(facts, pk="screening_id")
        db.execute("delete from fact_items where screening_id = ?", [screening["id"]])
        db["fact_items"].insert_all(
            [{"screening_id": screening["id"], "kind": k, "value": v} for k, v in items],
            pk=("screening_id", "kind", "value"),
            replace=True,
        )
        _count(db, facts, items, 1)


# Counts are kept per scope as screenings complete, so the statistics page reads a
# few hundred rows instead of grouping every screening on every visit.
_ADD = (
    "insert into fact_counts (scope, key, value, n) values (?, ?, ?, ?) "
    "on conflict (scope, key, value) do update set n = n + excluded.n"
)


def _scopes(facts):
    return (f"org:{facts['organisation'] or ''}", f"officer:{facts['officer_id']}")


def _count(db, facts, items, delta):
    """Add (or with delta -1, take away) one screening's contribution to every count of its scopes."""
    pairs = [(key, str(facts[column])) for key, _title, column in TABLES if key not in ITEM_KINDS]
    pairs += [(kind, str(value)) for kind, value in items]
    _add(db, [(s, key, value, delta) for s in _scopes(facts) for key, value in pairs])


def _add(db, rows):
    """Apply count changes in a transaction of their own (or the caller's): executemany alone leaves one open."""
    with write_transaction(db):
        db.conn.executemany(_ADD, rows)


def backfill_counts(db):
    """Count every recorded screening and referral from scratch (a new counts table, or after demo data)."""
    with write_transaction(db):
        db.execute("delete from fact_counts")
        items = {}
        for row in db.query("select screening_id, kind, value from fact_items"):
            items.setdefault(row["screening_id"], []).append((row["kind"], row["value"]))
        for facts in db.query("select * from facts"):
            _count(db, facts, items.get(facts["screening_id"], []), 1)
        if "referrals" not in db.table_names():
            return
        for row in db.query(
            "select r.status, r.created_at, r.acknowledged_at, s.officer_id, "
            "coalesce(u.organisation, '') as organisation from referrals r "
            "join screenings s on s.id = r.screening_id join users u on u.id = s.officer_id"
        ):
            changes = [(REFERRAL_KEY, row["status"])]
            if row["acknowledged_at"]:
                changes.append((ACK_KEY, hours_between(row["created_at"], row["acknowledged_at"])))
            _add(db, [(s, key, str(value), 1) for s in _scopes(row) for key, value in changes])


def scope(user):
    """Return (SQL condition on facts f, parameters) limiting counts to what this account may see."""
    if user["role"] in ("supervisor", "admin"):
        return "f.organisation = :organisation", {"organisation": user.get("organisation") or ""}
    return "f.officer_id = :officer", {"officer": user["id"]}


def count_scope(user):
    """Return the counts scope of an account: its organisation's for supervisors and admins, else its own."""
    if user["role"] in ("supervisor", "admin"):
        return f"org:{user.get('organisation') or ''}"
    return f"officer:{user['id']}"


def counts(db, user, key):
    """Return [(value, count)] for one table of the statistics page, largest first (months in order)."""
    order = "value" if key == "month" else "n desc, value"
    sql = f"select value, n from fact_counts where scope = ? and key = ? and n > 0 order by {order}"  # noqa: S608
    return [(row["value"], row["n"]) for row in db.query(sql, [count_scope(user), key])]


def threshold():
    """Return the smallest count shown as a number (smaller ones but zero are hidden)."""
    return current_app.config["SCREENING_SMALL_NUMBER"]


def shown(count):
    """Return a count as it may be shown or exported: "<11" for 1 to 10 (by default)."""
    limit = threshold()
    return f"<{limit}" if 0 < count < limit else str(count)


def label(key, value):
    """Return the words for a value of one table, in the interface language."""
    from screening.instrument.vocabulary import EXPLOITATION_FORMS, OUTCOMES_SHORT

    if key == "indicator":
        return str(INDICATORS[value].text) if value in INDICATORS else value
    if key == "form":
        return str(EXPLOITATION_FORMS.get(value, value))
    if key == "outcome":
        return str(OUTCOMES_SHORT.get(value, value))
    question = BY_ID.get({"channel": "channel", "nationality": "nationality", "sex": "sex"}.get(key, ""))
    choice = question.choice(value) if question else None
    return str(choice.text) if choice else str(value)


def _screening_scopes(db, screening_id):
    row = next(
        db.query(
            "select s.officer_id, coalesce(u.organisation, '') as organisation from screenings s "
            "join users u on u.id = s.officer_id where s.id = ?",
            [screening_id],
        )
    )
    return _scopes(row)


def count_referral(db, screening_id, changes):
    """Apply [(key, value, delta)] about one case's referrals to the counts of its scopes."""
    scopes = _screening_scopes(db, screening_id)
    _add(db, [(s, key, str(value), delta) for s in scopes for key, value, delta in changes])


def hours_between(start, end):
    """Return the whole hours from one ISO timestamp to another (the acknowledgement histogram's bucket)."""
    return int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() // 3600)


def referral_figures(db, user):
    """Return referrals by status and the median hours to acknowledgement (to the hour), in the same scope."""
    scope_key = count_scope(user)
    rows = db.query(
        "select key, value, n from fact_counts where scope = ? and key in (?, ?) and n > 0",
        [scope_key, REFERRAL_KEY, ACK_KEY],
    )
    by_status, histogram = {}, []
    for row in rows:
        if row["key"] == REFERRAL_KEY:
            by_status[row["value"]] = row["n"]
        else:
            histogram.append((int(row["value"]), row["n"]))
    total = sum(n for _hours, n in histogram)
    seen = 0
    for hours, n in sorted(histogram):
        seen += n
        if seen * 2 >= total:
            return by_status, hours
    return by_status, None


def deidentified_rows(db, user):
    """Return one de-identified row per screening for export, with documented columns."""
    where, params = scope(user)
    facts = list(db.query(f"select f.* from facts f where {where} order by f.month, f.screening_id", params))  # noqa: S608 - constants
    items = {}
    for row in db.query(
        f"select i.* from fact_items i join facts f on f.screening_id = i.screening_id where {where}",  # noqa: S608 - constants
        params,
    ):
        items.setdefault(row["screening_id"], {}).setdefault(row["kind"], []).append(row["value"])
    out = []
    for number, fact in enumerate(facts, start=1):
        mine = items.get(fact["screening_id"], {})
        out.append(
            {
                "caseNumber": number,
                "monthOfRegistration": fact["month"],
                "ageBroad": fact["age_group"],
                "majorityStatus": "Minor" if fact["child"] else "Adult",
                "gender": fact["sex"],
                "citizenship": fact["nationality"],
                "stageWhenIdentified": fact["stage"],
                "screeningOutcome": fact["outcome"],
                "screeningRule": fact["rule"],
                "urgent": bool(fact["urgent"]),
                "typeOfExploit": sorted(mine.get("form", [])),
                "recruitmentChannel": sorted(mine.get("channel", [])),
                "indicatorsPresent": sorted(mine.get("indicator", [])),
            }
        )
    return out


EXPORT_COLUMNS = {
    "caseNumber": _l("A running number of this export only; it links to nothing."),
    "monthOfRegistration": _l("Month of the screening (YYYY-MM); no exact date."),
    "ageBroad": _l("Age group (0-11, 12-14, 15-17, 18-24, 25-34, 35-44, 45-59, 60+, under-18, unknown)."),
    "majorityStatus": _l("Minor or Adult, as the screening treated the person."),
    "gender": _l("female, male, other, or unknown."),
    "citizenship": _l("ISO 3166-1 alpha-3 code, stateless, other, or unknown."),
    "stageWhenIdentified": _l("before_departure, in_transit, at_destination, after_exit, or unknown."),
    "screeningOutcome": _l("presumed, possible, or not_indicated."),
    "screeningRule": _l("The rule of the screening model that fired."),
    "urgent": _l("Whether an urgent safety need was found."),
    "typeOfExploit": _l("Forms of exploitation (codes), separated by semicolons in CSV."),
    "recruitmentChannel": _l("How the person was recruited (codes), separated by semicolons in CSV."),
    "indicatorsPresent": _l("ILO indicator codes found present, separated by semicolons in CSV."),
}


def as_csv_value(value):
    """Return a cell value: lists joined by semicolons, booleans as yes/no."""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def dumps(rows):
    """Return the de-identified rows as JSON text."""
    return json.dumps({"columns": list(EXPORT_COLUMNS), "rows": rows}, ensure_ascii=False, indent=1)
