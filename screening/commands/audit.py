"""``flask audit verify``: check the hash chain of the audit trail and print its newest hash."""

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from screening.db.connection import get_db
from screening.protection.audit import head, verify

EXIT_BROKEN = 1

audit_cli = AppGroup("audit", help="Check the audit trail.")


@audit_cli.command("verify")
def verify_command():
    """Check the hash chain of the audit trail; exit with status 1 if it is broken."""
    db = get_db()
    intact, bad = verify(db)
    count, last = head(db)
    if not intact:
        click.echo(
            _(
                "The audit trail is broken at entry %(id)d: it was changed, or an entry before it was removed.",
                id=bad,
            ),
            err=True,
        )
        sys.exit(EXIT_BROKEN)
    click.echo(ngettext("%(num)d entry, chain intact.", "%(num)d entries, chain intact.", count))
    click.echo(_("Newest hash: %(hash)s", hash=last))
