"""Migration m010: screenings collected offline (ODK Collect, KoboToolbox, Enketo), each imported once.

Frozen like every migration: plain schema changes and SQL, no live code of the app.
"""

from screening.db.migrations import migrations


@migrations()
def m010_collected_submissions(db):
    """Record each imported submission by its instance id, so that importing it again does nothing."""
    db["collected_submissions"].create(
        {
            "instance_id": str,
            "screening_id": int,
            "tool": str,
            "form_version": str,
            "imported_by": int,
            "imported_at": str,
        },
        pk="instance_id",
        not_null={"screening_id", "tool", "form_version", "imported_at"},
        foreign_keys=[("screening_id", "screenings", "id"), ("imported_by", "users", "id")],
    )
    db["collected_submissions"].create_index(["screening_id"])
