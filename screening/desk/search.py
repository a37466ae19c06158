"""The caseworker's desk: find cases by what is known about them, a page at a time, and overdue referrals.

Every query is limited to the cases the account sees (access.case_scope): an
officer their own, a supervisor or an administrator those of their organisation.
"""

from datetime import UTC, date, datetime, timedelta

from screening.access import case_scope
from screening.accounts import store
from screening.db.references import normalise_reference
from screening.referral.referrals import DEADLINE_HOURS

PAGE_SIZE = 25
# Up to this many matches, SQLite finds them by their filters and sorts them; beyond, it walks the dates.
FEW = 2000
SORTS = {
    "newest": "s.created_at desc, s.id desc",
    "oldest": "s.created_at asc, s.id asc",
    "updated": "s.updated_at desc, s.id desc",
}
YES_NO = {"yes": 1, "no": 0}


def _overdue_condition(moment):
    """Return SQL (on referrals r) for referrals past their deadline without acknowledgement."""
    parts, params = [], {}
    for priority, hours in DEADLINE_HOURS.items():
        if hours is None:
            continue
        parts.append(f"(r.priority = :p_{priority} and r.created_at < :cut_{priority})")
        params[f"p_{priority}"] = priority
        params[f"cut_{priority}"] = (moment - timedelta(hours=hours)).replace(microsecond=0).isoformat()
    return "r.status = 'sent' and (" + " or ".join(parts) + ")", params


def day_after(text):
    """Return the ISO date after a typed date, or None when there is none (the last day of the calendar)."""
    day = date.fromisoformat(text)
    return None if day == date.max else (day + timedelta(days=1)).isoformat()


def _conditions(db, filters, moment):
    """Turn the desk's filters (dates already checked) into SQL conditions on screenings s, with parameters."""
    where, params = [], {}
    reference = normalise_reference(filters.get("reference"))
    if filters.get("reference"):
        where.append("s.reference = :reference")
        params["reference"] = reference or filters["reference"].strip().upper()
    if filters.get("date_from"):
        where.append("s.created_at >= :date_from")
        params["date_from"] = filters["date_from"]
    if filters.get("date_to") and day_after(filters["date_to"]):
        where.append("s.created_at < :date_to")
        params["date_to"] = day_after(filters["date_to"])
    for column in ("status", "outcome"):
        if filters.get(column):
            where.append(f"s.{column} = :{column}")
            params[column] = filters[column]
    for column in ("urgent", "child"):
        if filters.get(column) in YES_NO:
            where.append(f"s.{column} = :{column}")
            params[column] = YES_NO[filters[column]]
    if filters.get("post"):
        where.append("s.post = :post")
        params["post"] = filters["post"]
    if filters.get("officer"):
        where.append("s.officer_id = :officer")
        params["officer"] = store.id_of(db, filters["officer"])
    referral_status = filters.get("referral_status")
    if referral_status == "overdue":
        condition, extra = _overdue_condition(moment)
        where.append(f"s.id in (select r.screening_id from referrals r where {condition})")  # noqa: S608
        params.update(extra)
    elif referral_status == "none":
        where.append("not exists (select 1 from referrals r where r.screening_id = s.id)")
    elif referral_status:
        where.append("s.id in (select r.screening_id from referrals r where r.status = :rstatus)")
        params["rstatus"] = referral_status
    return where, params


def search(db, user, filters, page=1, sort="newest", moment=None):
    """Return (rows of this page, total count) of the cases matching ``filters`` that ``user`` may see."""
    moment = moment or datetime.now(UTC)
    scope, params = case_scope(user)
    where, extra = _conditions(db, filters, moment)
    params.update(extra)
    condition = " and ".join([scope, *where])
    base = f"from screenings s where {condition}"  # noqa: S608 - built from constants
    total = next(db.query(f"select count(*) as n {base}", params))["n"]  # noqa: S608 - built from constants
    overdue, overdue_params = _overdue_condition(moment)
    if total == 0:
        return [], 0
    order = SORTS.get(sort, SORTS["newest"])
    if total > FEW:
        # Many matches: the scope is written with unary pluses, which keep SQLite from fetching
        # every case of the scope and sorting them all, so it walks the date index and stops
        # after a page (about a millisecond instead of 200 ms on 100,000 cases).
        scope = scope.replace("s.organisation", "+s.organisation").replace("s.officer_id", "+s.officer_id")
    else:
        # Few matches: the unary plus goes on the sort instead, so that SQLite finds them by the
        # filters' index and sorts the few, rather than walking every date to find them.
        order = "+" + order
    paged = f"from screenings s where {' and '.join([scope, *where])}"
    sql = (
        "select s.reference, s.created_at, s.updated_at, s.status, s.outcome, s.urgent, s.child, s.post, "  # noqa: S608
        "s.officer_id, (select count(*) from referrals r where r.screening_id = s.id) as referrals, "
        f"(select count(*) from referrals r where r.screening_id = s.id and {overdue}) as overdue "
        f"{paged} order by {order} limit :limit offset :offset"
    )
    page = max(1, page)
    rows = list(db.query(sql, {**params, **overdue_params, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}))
    names = store.usernames(db, [row["officer_id"] for row in rows])
    return [{**row, "officer": names.get(row["officer_id"])} for row in rows], total


def posts(db, user):
    """Return the posts of the cases this account may see, for the desk's post filter."""
    scope, params = case_scope(user)
    sql = f"select distinct s.post from screenings s where {scope} and s.post is not null order by s.post"  # noqa: S608
    return [row["post"] for row in db.query(sql, params)]


def overdue_referrals(db, user, moment=None, limit=50):
    """Return the referrals past their deadline without acknowledgement, oldest first."""
    moment = moment or datetime.now(UTC)
    scope, params = case_scope(user)
    condition, extra = _overdue_condition(moment)
    sql = (
        "select r.id, r.priority, r.created_at, s.reference, o.name as organisation_name "  # noqa: S608
        "from referrals r join screenings s on s.id = r.screening_id "
        f"join organisations o on o.id = r.organisation_id where {scope} and {condition} "
        "order by r.created_at limit :limit"
    )
    return list(db.query(sql, {**params, **extra, "limit": limit}))
