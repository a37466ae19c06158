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

_KEYS = "Links a row to its case, account, referral or organisation; a number, never the person."
_STAMP = "When something happened, to the second: needed for deadlines, retention and the audit trail."
_CODE = "A stable code from a fixed list, never typed text."
_STAFF = "About an account (a member of staff), not a screened person; kept while the account exists."
_DIRECTORY = "About a receiving organisation in the directory of services, not a person."
_STATS = "De-identified statistics: codes, months and counts; no name, reference, exact date or text."
_INSTALLATION = "About another installation that signs documents (its name and certificate), not a person."
_RANDOM = "A random id given on a phone (ODK's instanceID): it names a submission, not the person."
_RECORDING = "A recording of one of the app's own texts, read by a speaker of the language: no screened person."
_AUDIT = "The audit trail: who did what, never the person's data (audit.py refuses these columns' names)."


def _all(why, *columns):
    return dict.fromkeys(columns, why)


# Every other column, and why it may stay plain and stay after erasure.
NOT_IDENTIFYING = {
    "_sqlite_migrations": _all("Which schema changes ran, and when.", "id", "migration_set", "name", "applied_at"),
    "answers": {
        "screening_id": _KEYS,
        "question_id": _CODE,
        "value": "Answers by choice (codes, an age) are kept for statistics; answers in words are registered above.",
        "answered_at": _STAMP,
        "free_text": "Whether the answer is in words, and so registered above.",
        "by_person": "Whether the person gave the answer alone, on the handed-over phone: a flag.",
    },
    "audit": _all(_AUDIT, "id", "at", "user_id", "username", "address", "action", "reference", "detail")
    | _all(_AUDIT, "prev_hash", "hash"),
    "collected_submissions": _all(_KEYS, "screening_id", "imported_by")
    | _all(_CODE, "tool", "form_version")
    | {"imported_at": _STAMP, "instance_id": _RANDOM},
    "exports": _all(_KEYS, "id", "screening_id", "referral_id", "user_id")
    | {"document": _CODE, "lang": _CODE, "via": _CODE, "created_at": _STAMP},
    "fact_counts": _all(_STATS, "scope", "key", "value", "n"),
    "fact_items": _all(_STATS, "screening_id", "kind", "value"),
    "facts": _all(_STATS, "screening_id", "month", "officer_id", "organisation", "post", "outcome", "rule")
    | _all(_STATS, "urgent", "child", "age_group", "sex", "nationality", "stage"),
    "login_attempts": {"id": _KEYS, "at": _STAMP} | _all(_STAFF, "username", "address", "succeeded"),
    "notes": {"id": _KEYS, "screening_id": _KEYS, "user_id": _KEYS, "at": _STAMP},
    "organisations": _all(_DIRECTORY, "id", "name", "kind", "area", "languages", "phone", "email", "address")
    | _all(_DIRECTORY, "contact_person", "print_lang", "notes", "active", "created_at", "updated_at"),
    "people": {"screening_id": _KEYS, "updated_at": _STAMP},
    "recordings": _all(_KEYS, "id", "recorded_by", "decided_by")
    | _all(_CODE, "lang", "status", "mime", "sha256", "bytes", "duration_ms", "source")
    | _all(_STAMP, "recorded_at", "decided_at")
    | _all(_RECORDING, "msgid", "text", "audio"),
    "referral_events": {"id": _KEYS, "referral_id": _KEYS, "status": _CODE, "recorded_by": _KEYS, "at": _STAMP},
    "received_cases": _all(_KEYS, "id", "imported_by")
    | _all(_CODE, "priority", "status")
    | _all(_STAMP, "referral_created_at", "acknowledge_by", "acknowledged_at", "imported_at")
    | _all(_INSTALLATION, "signer_fingerprint", "signer_name")
    | {
        "key": "The received case's random address in the app: it says nothing about the person or the count.",
        "organisation": "The organisation that received the case: who may see it.",
        "referral_uid": "The referral's random id, from the sender: it points at the referral, not the person.",
        "sender_reference": "The sender's random case reference: it says nothing about the person.",
    },
    "received_events": {"id": _KEYS, "received_id": _KEYS, "status": _CODE, "recorded_by": _KEYS, "at": _STAMP},
    "trusted_installations": _all(_INSTALLATION, "fingerprint", "name", "certificate")
    | _all(_STAFF, "accepted_by", "accepted_by_name")
    | {"accepted_at": _STAMP},
    "referrals": _all(_KEYS, "id", "screening_id", "organisation_id", "created_by")
    | {"uid": "The referral's random id, printed in its document: it points at the referral, not the person."}
    | _all(_CODE, "priority", "consent", "shared_items", "basis", "services", "status")
    | _all(_STAMP, "created_at", "acknowledged_at"),
    "screenings": _all(_KEYS, "id", "officer_id", "linked_to")
    | _all(_CODE, "interview_lang", "interpreter", "consent", "status", "stop_reason", "bank_version")
    | _all(_CODE, "outcome", "rule", "urgent", "child", "demo")
    | _all(_STAMP, "created_at", "updated_at", "ended_at")
    | {
        "reference": "The random case reference: it points at the case and says nothing about the person.",
        "organisation": "The organisation the case belongs to (the officer's, when it was opened).",
        "post": "Where the officer works: it places the officer, not the person.",
        "assessment": "The result as codes (outcome, rule, indicators), kept for statistics.",
        "locked_at": "When wrong codes locked the case after a hand-over, until its officer logs in again.",
    },
    "sessions": _all(_STAFF, "id", "user_id", "created_at", "last_seen", "reauth_at", "ended_at")
    | {"handover": "The hand-over in progress: the case's reference, the officer's code (hashed), wrong tries."},
    "setup_tokens": _all("The one-time link that created the first account.", "token_hash", "created_at")
    | _all("The one-time link that created the first account.", "expires_at", "used_at"),
    "users": _all(_STAFF, "id", "username", "password_hash", "role", "active", "must_change_password", "created_at")
    | _all(_STAFF, "locale", "full_name", "agency", "phone", "organisation", "locked_until"),
}


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
