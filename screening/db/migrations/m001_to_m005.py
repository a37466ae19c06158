"""Migrations m001 to m005: the schema of the first releases (accounts, screenings, referrals, protection, the desk).

Frozen: a migration that has run on a post's database must never change, and it
calls no live code of the app, whose rules move on while the history may not.
"""

from screening.db.migrations import migrations


@migrations()
def m001_initial(db):
    """Create accounts, setup tokens, screenings and answers."""
    db["users"].create(
        {
            "id": int,
            "username": str,
            "password_hash": str,
            "role": str,
            "active": int,
            "must_change_password": int,
            "created_at": str,
        },
        pk="id",
        not_null={"username", "password_hash", "role", "active", "created_at"},
    )
    db["users"].create_index(["username"], unique=True)
    db["setup_tokens"].create(
        {"token_hash": str, "created_at": str, "expires_at": str, "used_at": str},
        pk="token_hash",
    )
    db["screenings"].create(
        {
            "id": int,
            "reference": str,
            "officer_id": int,
            "post": str,
            "interview_lang": str,
            "interpreter": str,
            "consent": str,
            "status": str,
            "stop_reason": str,
            "bank_version": str,
            "created_at": str,
            "updated_at": str,
            "ended_at": str,
            "evidence": str,
            "assessment": str,
            "outcome": str,
            "rule": str,
            "urgent": int,
            "child": int,
            "demo": int,
        },
        pk="id",
        defaults={"demo": 0, "urgent": 0, "child": 0},
        not_null={"reference", "officer_id", "status", "bank_version", "created_at", "updated_at"},
        foreign_keys=[("officer_id", "users", "id")],
    )
    db["screenings"].create_index(["reference"], unique=True)
    db["screenings"].create_index(["officer_id", "status", "updated_at"])
    db["answers"].create(
        {"screening_id": int, "question_id": str, "value": str, "answered_at": str},
        pk=("screening_id", "question_id"),
        not_null={"value", "answered_at"},
        foreign_keys=[("screening_id", "screenings", "id")],
    )


@migrations()
def m002_account_language(db):
    """Remember each account's interface language."""
    db["users"].add_column("locale", str)


@migrations()
def m003_referrals(db):
    """Add the directory of services, referrals with their consent, the person's details, exports."""
    for column in ("full_name", "agency", "phone"):
        db["users"].add_column(column, str)
    db["organisations"].create(
        {
            "id": int,
            "name": str,
            "kind": str,
            "area": str,
            "languages": str,
            "phone": str,
            "email": str,
            "address": str,
            "contact_person": str,
            "print_lang": str,
            "notes": str,
            "active": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"name", "kind", "print_lang", "active", "created_at", "updated_at"},
        defaults={"active": 1},
    )
    db.execute("create unique index idx_organisations_name on organisations (name collate nocase)")
    db["people"].create(
        {"screening_id": int, "name": str, "contact": str, "date_of_birth": str, "updated_at": str},
        pk="screening_id",
        foreign_keys=[("screening_id", "screenings", "id")],
    )
    db["referrals"].create(
        {
            "id": int,
            "screening_id": int,
            "organisation_id": int,
            "priority": str,
            "consent": str,
            "shared_items": str,
            "basis": str,
            "basis_reason": str,
            "services": str,
            "status": str,
            "created_by": int,
            "created_at": str,
        },
        pk="id",
        not_null={"screening_id", "organisation_id", "priority", "consent", "basis", "status", "created_at"},
        foreign_keys=[
            ("screening_id", "screenings", "id"),
            ("organisation_id", "organisations", "id"),
            ("created_by", "users", "id"),
        ],
    )
    db["referrals"].create_index(["screening_id"])
    db["exports"].create(
        {
            "id": int,
            "screening_id": int,
            "referral_id": int,
            "document": str,
            "lang": str,
            "user_id": int,
            "via": str,
            "created_at": str,
        },
        pk="id",
        not_null={"screening_id", "document", "lang", "via", "created_at"},
        foreign_keys=[("screening_id", "screenings", "id"), ("referral_id", "referrals", "id")],
    )
    db["exports"].create_index(["screening_id"])


@migrations()
def m004_protection(db):
    """Add server-side sessions, login throttling, the audit trail, and organisations for accounts."""
    db["users"].add_column("organisation", str)
    db["users"].add_column("locked_until", str)
    db["sessions"].create(
        {"id": str, "user_id": int, "created_at": str, "last_seen": str, "reauth_at": str, "ended_at": str},
        pk="id",
        not_null={"user_id", "created_at", "last_seen"},
        foreign_keys=[("user_id", "users", "id")],
    )
    db["sessions"].create_index(["user_id"])
    db["login_attempts"].create(
        {"id": int, "at": str, "username": str, "address": str, "succeeded": int},
        pk="id",
        not_null={"at", "succeeded"},
    )
    db["login_attempts"].create_index(["username", "at"])
    db["login_attempts"].create_index(["address", "at"])
    db["audit"].create(
        {
            "id": int,
            "at": str,
            "user_id": int,
            "username": str,
            "address": str,
            "action": str,
            "reference": str,
            "detail": str,
            "prev_hash": str,
            "hash": str,
        },
        pk="id",
        not_null={"at", "action", "prev_hash", "hash"},
    )
    db["audit"].create_index(["reference"])
    # Append-only: history can be added to, never changed or removed.
    db.execute(
        "create trigger audit_no_update before update on audit "
        "begin select raise(abort, 'the audit trail is append-only'); end"
    )
    db.execute(
        "create trigger audit_no_delete before delete on audit "
        "begin select raise(abort, 'the audit trail is append-only'); end"
    )


@migrations()
def m005_desk(db):
    """Add referral follow-up, caseworker notes, links between cases, and the de-identified statistics."""
    db["screenings"].add_column("linked_to", int)
    db["referrals"].add_column("acknowledged_at", str)
    db["referral_events"].create(
        {"id": int, "referral_id": int, "status": str, "reason": str, "recorded_by": int, "at": str},
        pk="id",
        not_null={"referral_id", "status", "at"},
        foreign_keys=[("referral_id", "referrals", "id"), ("recorded_by", "users", "id")],
    )
    db["referral_events"].create_index(["referral_id"])
    db["notes"].create(
        {"id": int, "screening_id": int, "user_id": int, "at": str, "text": str},
        pk="id",
        not_null={"screening_id", "at", "text"},
        foreign_keys=[("screening_id", "screenings", "id"), ("user_id", "users", "id")],
    )
    db["notes"].create_index(["screening_id"])
    # One row per completed screening, holding only what statistics need: no
    # name, no free text, no exact date, no reference. It outlives retention.
    db["facts"].create(
        {
            "screening_id": int,
            "month": str,
            "officer_id": int,
            "organisation": str,
            "post": str,
            "outcome": str,
            "rule": str,
            "urgent": int,
            "child": int,
            "age_group": str,
            "sex": str,
            "nationality": str,
            "stage": str,
        },
        pk="screening_id",
    )
    db["fact_items"].create({"screening_id": int, "kind": str, "value": str}, pk=("screening_id", "kind", "value"))
    db["fact_items"].create_index(["kind", "value"])
    for columns in (["created_at"], ["status", "updated_at"], ["outcome"], ["post"], ["urgent"], ["child"]):
        db["screenings"].create_index(columns)
    for columns in (["month"], ["organisation", "month"], ["officer_id", "month"]):
        db["facts"].create_index(columns)
