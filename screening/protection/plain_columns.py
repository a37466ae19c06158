"""The columns that do not identify a screened person, each with the reason it may stay plain after erasure.

The other half of identifying.py's registry: a test fails when a column of any
table is in neither list.
"""

_KEYS = "Links a row to its case, account, referral or organisation; a number, never the person."
_STAMP = "When something happened, to the second: needed for deadlines, retention and the audit trail."
_CODE = "A stable code from a fixed list, never typed text."
_STAFF = "About an account (a member of staff), not a screened person; kept while the account exists."
_DIRECTORY = "About a receiving organisation in the directory of services, not a person."
_STATS = "De-identified statistics: codes, months and counts; no name, reference, exact date or text."
_INSTALLATION = "About another installation that signs documents (its name and certificate), not a person."
_RANDOM = "A random id given on a phone (ODK's instanceID): it names a submission, not the person."
_RECORDING = "A recording of one of the app's own texts read by a speaker, and its review: no screened person."
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
    "recordings": _all(_RECORDING, "id", "recorded_by", "decided_by", "recorded_at", "decided_at", "msgid", "text")
    | _all(_RECORDING, "lang", "status", "mime", "sha256", "bytes", "duration_ms", "source", "audio"),
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
