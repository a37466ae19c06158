"""The registry of identifying data: every column that can identify a screened person, why, and how it is erased.

One list, read by everything that protects those columns: encryption at rest
(crypto.py), erasure on request and the retention purge (retention.py counts and
erases exactly these), and the audit trail (audit.py refuses these names as keys
of an entry's detail). Every other column of every table is in ``NOT_IDENTIFYING``
with the reason it may stay plain after erasure; a test fails when a column is in
neither list.

Each item says which rows of one case hold it (``of_case``, an SQL condition on
the parameter ``:case``, the screening id) and how it goes:

- ``DELETE_ROWS``: the rows are deleted (the person's details, answers in words, notes);
- ``CLEAR``: the columns are set to NULL and the row stays (it records what was done);
- ``CLEAR_CONCERN``: the officer's concern, copied into the encrypted evidence
  document, is set to null there; the rest stays (the assessment was made from it).
"""

import json
from dataclasses import dataclass

from screening.db.connection import dumps
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection.plain_columns import NOT_IDENTIFYING  # noqa: F401 - the other list, beside this one

DELETE_ROWS, CLEAR, CLEAR_CONCERN = "delete_rows", "clear", "clear_concern"


@dataclass(frozen=True)
class Item:
    """One kind of identifying data: where it is, which rows of a case hold it, how it is erased."""

    kind: str
    label: object
    table: str
    columns: tuple
    of_case: str
    erase: str
    why: str
    rows: str | None = None  # which of the case's rows hold it, when not all of them
    # Which kind of case ``:case`` names: a screening of this installation, or a case received from another.
    scope: str = "screening"


REGISTRY = (
    Item(
        "people",
        _l("Names, contacts and dates of birth"),
        "people",
        ("name", "contact", "date_of_birth"),
        "screening_id = :case",
        DELETE_ROWS,
        "The person's name, how to reach them and their date of birth, asked only for referrals.",
    ),
    Item(
        "text_answers",
        _l("Answers in the officer's own words"),
        "answers",
        ("value",),
        "screening_id = :case",
        DELETE_ROWS,
        "Answers written in words (the officer's concern) may name or describe the person.",
        rows="free_text = 1",
    ),
    Item(
        "concerns",
        _l("Officer's concerns in the evidence"),
        "screenings",
        ("evidence",),
        "id = :case",
        CLEAR_CONCERN,
        "The evidence document copies the officer's concern in their own words.",
    ),
    Item(
        "reasons",
        _l("Written reasons for referrals without consent"),
        "referrals",
        ("basis_reason",),
        "screening_id = :case",
        CLEAR,
        "The officer's reason for an urgent referral without consent describes the person's situation.",
    ),
    Item(
        "decline_reasons",
        _l("Reasons given when a referral was declined"),
        "referral_events",
        ("reason",),
        "referral_id in (select id from referrals where screening_id = :case)",
        CLEAR,
        "Why an organisation declined a referral, in someone's words, may describe the person.",
    ),
    Item(
        "notes",
        _l("Caseworkers' notes"),
        "notes",
        ("text",),
        "screening_id = :case",
        DELETE_ROWS,
        "Caseworkers' notes are free text about the person and what happened to them.",
    ),
    Item(
        "received_referrals",
        _l("Referrals received from other installations"),
        "received_cases",
        ("contents",),
        "id = :case",
        CLEAR,
        "The referral as received: what the person agreed to share (name, contact, date of birth, "
        "nationality, answers in words), and the referring officer.",
        scope="received",
    ),
    Item(
        "received_reasons",
        _l("Reasons given when a received referral was declined"),
        "received_events",
        ("reason",),
        "received_id = :case",
        CLEAR,
        "Why a received referral was declined, in someone's words, may describe the person.",
        scope="received",
    ),
)

KINDS = {item.kind: item for item in REGISTRY}
COLUMNS = frozenset((item.table, column) for item in REGISTRY for column in item.columns)


def _holds(item):
    """Return the SQL condition for a row of ``item`` that still holds some of it."""
    held = " or ".join(f"{column} is not null" for column in item.columns)
    return f"({item.of_case}) and ({held})" + (f" and ({item.rows})" if item.rows else "")


def encrypted_columns():
    """Yield (table, column, SQL condition for the rows that hold it) for every registered column."""
    for item in REGISTRY:
        for column in item.columns:
            yield item.table, column, item.rows


def present(db, screening_id, decrypt, scope="screening"):
    """Return what identifying data one case still holds, as counts by kind (only the kinds present).

    ``decrypt`` opens the evidence document, to see whether it still holds the officer's concern.
    ``scope`` "received": the case is a received referral (its id), not a screening.
    """
    counts = {}
    for item in (i for i in REGISTRY if i.scope == scope):
        sql = f"select {', '.join(item.columns)} from {item.table} where {_holds(item)}"  # noqa: S608 - names from REGISTRY
        rows = list(db.query(sql, {"case": screening_id}))
        if item.erase == CLEAR_CONCERN:
            rows = [row for row in rows if _concern_of(row["evidence"], decrypt) is not None]
        if rows:
            counts[item.kind] = len(rows)
    return counts


def _concern_of(stored, decrypt):
    return json.loads(decrypt(stored)).get("officer_concern")


def erase(db, screening_id, decrypt, encrypt, scope="screening"):
    """Erase every registered item of one case (inside the caller's transaction); return counts by kind."""
    found = present(db, screening_id, decrypt, scope)
    for item in REGISTRY:
        if item.kind not in found:
            continue
        params = {"case": screening_id}
        if item.erase == DELETE_ROWS:
            db.execute(f"delete from {item.table} where {_holds(item)}", params)  # noqa: S608 - names from REGISTRY
        elif item.erase == CLEAR:
            cleared = ", ".join(f"{column} = null" for column in item.columns)
            db.execute(f"update {item.table} set {cleared} where {_holds(item)}", params)  # noqa: S608
        else:
            row = next(db.query(f"select evidence from {item.table} where {_holds(item)}", params))  # noqa: S608
            evidence = json.loads(decrypt(row["evidence"]))
            evidence["officer_concern"] = None
            db.execute(f"update {item.table} set evidence = ? where id = ?", [encrypt(dumps(evidence)), screening_id])  # noqa: S608
    return found


def refused_audit_keys():
    """Return the names that may never be keys of an audit entry's detail: every registered column, and secrets."""
    return frozenset(column for _table, column in COLUMNS) | {"officer_concern", "password"}
