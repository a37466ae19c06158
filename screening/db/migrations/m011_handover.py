"""Migration m011: the phone handed over to the person, and recordings of the person's texts.

Frozen like every migration: plain schema changes and SQL, no live code of the app.
"""

from screening.db.migrations import migrations


@migrations()
def m011_handover_and_recordings(db):
    """Mark answers the person gave alone, lock cases after wrong codes, keep the hand-over and recordings."""
    db["answers"].add_column("by_person", int, not_null_default=0)
    db["screenings"].add_column("locked_at", str)
    db["sessions"].add_column("handover", str)
    db["recordings"].create(
        {
            "id": int,
            "lang": str,
            "msgid": str,
            "text": str,
            "status": str,
            "mime": str,
            "audio": bytes,
            "sha256": str,
            "bytes": int,
            "duration_ms": int,
            "source": str,
            "recorded_by": int,
            "recorded_at": str,
            "decided_by": int,
            "decided_at": str,
        },
        pk="id",
        not_null={"lang", "msgid", "text", "status", "mime", "audio", "sha256", "bytes", "duration_ms", "recorded_at"},
        foreign_keys=[("recorded_by", "users", "id"), ("decided_by", "users", "id")],
    )
    db["recordings"].create_index(["lang", "msgid", "status"])
    db["recordings"].create_index(["sha256"])
