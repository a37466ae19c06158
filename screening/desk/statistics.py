"""Statistics: what is happening, counted without pointing at anyone.

The counts are kept as screenings end (facts.py). Counts from 1 to
SCREENING_SMALL_NUMBER - 1 are shown and exported as "<N" (default "<11") so
that a rare combination cannot point at a person. Each account counts the cases
it sees (access.py): an officer their own, a supervisor or an administrator
those of their organisation.
"""

import json

from flask import current_app

from screening.access import case_scope, count_scope
from screening.desk.facts import ACK_KEY, REFERRAL_KEY
from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument.indicators import INDICATORS
from screening.instrument.questionnaire import FACTS
from screening.instrument.vocabulary import EXPLOITATION_FORMS, OUTCOMES_SHORT
from screening.protection import audit

# The tables of the statistics page: key, title.
TABLES = (
    ("month", _l("Screenings per month")),
    ("outcome", _l("By outcome")),
    ("post", _l("By post")),
    ("nationality", _l("By nationality")),
    ("age_group", _l("By age group")),
    ("sex", _l("By sex")),
    ("form", _l("By form of exploitation")),
    ("channel", _l("By recruitment channel")),
    ("indicator", _l("How often each indicator is present")),
)


def counts(db, user, key):
    """Return [(value, count)] for one table of the statistics page, largest first (months in order)."""
    order = "value" if key == "month" else "n desc, value"
    sql = f"select value, n from fact_counts where scope = ? and key = ? and n > 0 order by {order}"  # noqa: S608
    return [(row["value"], row["n"]) for row in db.query(sql, [count_scope(user), key])]


def record_export(db, actor, what, fmt):
    """Record in the audit trail that ``actor`` exported statistics (``what``: "tables" or "screenings")."""
    audit.record(db, "export_stats", actor, detail={"what": what, "format": fmt})


def threshold():
    """Return the smallest count shown as a number (smaller ones but zero are hidden)."""
    return current_app.config["SCREENING_SMALL_NUMBER"]


def shown(count):
    """Return a count as it may be shown or exported: "<11" for 1 to 10 (by default)."""
    limit = threshold()
    return f"<{limit}" if 0 < count < limit else str(count)


def label(key, value):
    """Return the words for a value of one table, in the interface language."""
    if key == "indicator":
        return str(INDICATORS[value].text) if value in INDICATORS else value
    if key == "form":
        return str(EXPLOITATION_FORMS.get(value, value))
    if key == "outcome":
        return str(OUTCOMES_SHORT.get(value, value))
    question = FACTS.get(key)
    choice = question.choice(value) if question else None
    return str(choice.text) if choice else str(value)


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
    where, params = case_scope(user, "f")
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
