"""Migration m009: referrals that travel (an id on each referral, trusted installations, received cases).

Frozen like every migration: plain schema changes and SQL, no live code of the app.
"""

from screening.db.migrations import migrations


@migrations()
def m009_referrals_that_travel(db):
    """Give every referral a random id, and add trusted installations and the cases received from them."""
    # The id travels in the signed document: the receiver imports a referral once by it, and an
    # acknowledgement names the referral by it. Random, so that nobody guesses another's.
    db["referrals"].add_column("uid", str)
    db.execute("update referrals set uid = lower(hex(randomblob(16))) where uid is null")
    db["referrals"].create_index(["uid"], unique=True)
    db["trusted_installations"].create(
        {
            "fingerprint": str,
            "name": str,
            "certificate": str,
            "accepted_by": int,
            "accepted_by_name": str,
            "accepted_at": str,
        },
        pk="fingerprint",
        not_null={"name", "certificate", "accepted_at"},
        foreign_keys=[("accepted_by", "users", "id")],
    )
    db["received_cases"].create(
        {
            "id": int,
            "key": str,
            "organisation": str,
            "referral_uid": str,
            "signer_fingerprint": str,
            "signer_name": str,
            "sender_reference": str,
            "referral_created_at": str,
            "priority": str,
            "acknowledge_by": str,
            "status": str,
            "acknowledged_at": str,
            "contents": str,
            "imported_by": int,
            "imported_at": str,
        },
        pk="id",
        not_null={"key", "organisation", "referral_uid", "signer_fingerprint", "status", "imported_at"},
        foreign_keys=[("imported_by", "users", "id")],
    )
    db["received_cases"].create_index(["organisation", "referral_uid"], unique=True)
    db["received_cases"].create_index(["key"], unique=True)
    db["received_cases"].create_index(["organisation", "status", "imported_at"])
    db["received_events"].create(
        {"id": int, "received_id": int, "status": str, "reason": str, "recorded_by": int, "at": str},
        pk="id",
        not_null={"received_id", "status", "at"},
        foreign_keys=[("received_id", "received_cases", "id"), ("recorded_by", "users", "id")],
    )
    db["received_events"].create_index(["received_id"])
