"""Schema changes, applied in order at start-up: sqlite-utils migrations, each recorded once by name.

The set keeps the name "screening" and every migration keeps its name: both are
recorded in the databases of posts already running.
"""

from sqlite_utils.migrations import Migrations

migrations = Migrations("screening")

# Registered in order by importing them (a migration registers itself when its module loads).
from screening.db.migrations import m001_to_m005, m006_to_m008, m009_travel, m010_collected, m011_handover  # noqa: E402, F401


def apply(db):
    """Apply every migration the database has not had yet."""
    migrations.apply(db)
