"""``flask data``: the retention purge, backups and a new encryption key, run by the machine's owner."""

import sys
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from screening.db.connection import connect, get_db
from screening.protection import crypto, keys, replication, retention
from screening.protection.audit import Actor, head, verify
from screening.protection.backup import BackupError, backup

data_cli = AppGroup(
    "data", help="Erase data past its retention period, make backups, change the encryption key, restore a replica."
)
# What a restored post needs beside the database: kept apart, never replicated (README).
KEY_FILES = "encryption.key, secret_key, submissions.pem, signing/"


@data_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be erased, and change nothing.")
@click.option("--days", type=click.IntRange(min=1), default=None, help="Retention period (default: the setting).")
def purge_command(dry_run, days):
    """Erase identifying data from cases that ended more than the retention period ago."""
    try:
        summary = retention.purge(get_db(), days, dry_run=dry_run, actor=Actor.shell())
    except ValueError:
        raise click.ClickException(_("SCREENING_RETENTION_DAYS must be at least 1.")) from None
    cutoff = summary["cutoff"][:10]
    if dry_run:
        click.echo(
            ngettext(
                "Dry run: %(num)d case that ended before %(cutoff)s still holds identifying data.",
                "Dry run: %(num)d cases that ended before %(cutoff)s still hold identifying data.",
                summary["cases"],
                cutoff=cutoff,
            )
        )
    else:
        click.echo(
            ngettext(
                "Erased identifying data from %(num)d case that ended before %(cutoff)s.",
                "Erased identifying data from %(num)d cases that ended before %(cutoff)s.",
                summary["cases"],
                cutoff=cutoff,
            )
        )
    for kind, label in retention.KINDS.items():
        if summary["erased"].get(kind):
            click.echo("  " + _("%(kind)s: %(count)d", kind=label, count=summary["erased"][kind]))
    if dry_run:
        for reference in summary["references"]:
            click.echo(f"  {reference}")
        click.echo(_("Nothing was changed."))
    elif summary["cases"]:
        click.echo(_("Answers by choice, indicators and results are kept for statistics."))
    if summary["log_cleared"] is False:
        click.echo(
            _("The server was busy: erased values, encrypted, may stay in the write-ahead log until it checkpoints."),
            err=True,
        )


@data_cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
@click.option("--force", is_flag=True, help="Overwrite TARGET if it exists.")
def backup_command(target, force):
    """Write a consistent copy of the database to TARGET while the server keeps running."""
    try:
        written = backup(get_db(), target, force=force, actor=Actor.shell())
    except FileExistsError:
        raise click.ClickException(_("%(file)s exists; use --force to overwrite it.", file=target)) from None
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Backup written to %(file)s and checked.", file=str(written)))
    click.echo(
        _(
            "It is encrypted: it can only be opened with the encryption key. "
            "Back up the key separately, and never store the two together."
        )
    )


@data_cli.command("rotate-key")
def rotate_key_command():
    """Encrypt every identifying value under a new key (the old keys are kept to read old backups)."""
    db = get_db()
    ring = crypto.keyring()
    if ring.path is None:
        count = crypto.rotate(db, ring.keys[0], actor=Actor.shell())
        click.echo(
            ngettext(
                "Re-encrypted %(num)d value under the first key of SCREENING_ENCRYPTION_KEY.",
                "Re-encrypted %(num)d values under the first key of SCREENING_ENCRYPTION_KEY.",
                count,
            )
        )
        click.echo(
            _(
                "To change the key, put a new key first in that variable, keep the old ones after it, restart, "
                "and run this command again."
            )
        )
        return
    count = crypto.rotate(db, keys.new_key(), actor=Actor.shell())
    click.echo(
        ngettext("Re-encrypted %(num)d value under a new key.", "Re-encrypted %(num)d values under a new key.", count)
    )
    click.echo(
        _(
            "The new key is the first line of %(path)s; the old keys stay on the lines after it so that "
            "earlier backups can still be opened. Back up this file now, apart from the database.",
            path=str(ring.path),
        )
    )


@data_cli.command("restore")
@click.option("--from", "source", required=True, help="The replica: s3://..., sftp://... or file:///...")
@click.option("--at", "moment", default=None, help="Restore as of this moment, e.g. 2026-12-07T09:30:00Z.")
@click.option("--to", "folder", required=True, type=click.Path(file_okay=False), help="A new data folder.")
def restore_command(source, moment, folder):
    """Bring a post back from its replica into a new data folder, and check what came back."""
    if moment:
        try:
            moment = datetime.fromisoformat(moment.replace("Z", "+00:00")).isoformat().replace("+00:00", "Z")
        except ValueError:
            raise click.ClickException(_("Give the moment as 2026-12-07T09:30:00Z.")) from None
    try:
        restored = replication.restore(source, folder, moment)
    except replication.ReplicationError as exc:
        raise click.ClickException(str(exc)) from None
    db = connect(restored)
    try:
        intact, bad = verify(db)
        count, _last = head(db)
    finally:
        db.close()
    if not intact:
        raise click.ClickException(_("The restored audit trail is broken at entry %(id)d.", id=bad))
    click.echo(
        _(
            "Restored %(file)s: the database is intact and its audit trail of %(num)d entries verifies.",
            file=str(restored),
            num=count,
        )
    )
    click.echo(
        _(
            "Copy the keys (%(keys)s) into %(folder)s from where they are kept apart, "
            "then start the app with SCREENING_DATA_DIR=%(folder)s.",
            keys=KEY_FILES,
            folder=folder,
        )
    )


@data_cli.command("status")
def status_command():
    """Say when the last change reached the replica and how far behind it is; exit 1 when too far."""
    url = current_app.config.get("SCREENING_REPLICA_URL")
    if not url:
        click.echo(_("SCREENING_REPLICA_URL is not set: nothing is replicated off this machine."), err=True)
        sys.exit(1)
    try:
        found = replication.status(url, current_app.config["SCREENING_DATABASE"])
    except replication.ReplicationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_("Replica: %(url)s", url=found["url"]))
    if found["replicated"] is None:
        click.echo(_("Nothing has reached the replica yet."), err=True)
        sys.exit(1)
    click.echo(_("Last change replicated: %(moment)s", moment=found["replicated"].isoformat()))
    click.echo(_("Behind the database by %(seconds)d s.", seconds=round(found["behind"])))
    if found["behind"] > 60 * current_app.config["SCREENING_REPLICA_LAG_MINUTES"]:
        click.echo(
            _("The replica is falling behind: check that Litestream is running and the replica is reachable."), err=True
        )
        sys.exit(1)
