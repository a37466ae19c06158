"""Keeping data only as long as needed: erasing what identifies a person, and consistent backups.

A case ended more than SCREENING_RETENTION_DAYS ago (90 by default) loses what
could identify the person: their name, contact and date of birth, the answers
written in the officer's own words, the officer's concern copied into the
evidence, and the written reason of a referral made without consent. The
answers by choice, the indicators, the assessment and the outcome stay, so that
statistics still add up. ``erase`` does the same at once for one case, when the
person asks.

Nothing marks a case as purged (the schema has no column for it): a case is
purged when nothing identifying remains, so running ``purge`` twice erases
nothing the second time. Every purge and erasure is in the audit trail with the
case references. The connection overwrites deleted content (``secure_delete``)
and the write-ahead log is emptied afterwards, so erased values do not linger
in the files.
"""

import json
import os
import secrets
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import click
from flask import current_app, has_app_context
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from screening.config import RETENTION_DAYS
from screening.db.connection import dumps, get_db, write_transaction
from screening.protection import audit, crypto

BACKUP_MODE = 0o600

# What counts as identifying, by kind, in the order a summary lists them.
KINDS = {
    "people": _l("Names, contacts and dates of birth"),
    "text_answers": _l("Answers in the officer's own words"),
    "concerns": _l("Officer's concerns in the evidence"),
    "reasons": _l("Written reasons for referrals without consent"),
}


class BackupError(RuntimeError):
    """A backup that could not be written or did not check out."""


def _text_ids_sql():
    ids = crypto.text_question_ids()
    return ", ".join("?" for _ in ids) or "null", list(ids)


def _concern_evidence(db, screening_id):
    """Return the case's evidence, decrypted, if it still holds the officer's concern; else None."""
    row = next(db.query("select evidence from screenings where id = ?", [screening_id]), None)
    if row is None or row["evidence"] is None:
        return None
    evidence = json.loads(crypto.decrypt(row["evidence"]))
    return evidence if evidence.get("officer_concern") is not None else None


def _count(db, sql, params):
    return next(db.query(sql, params))["n"]


def identifying(db, screening_id):
    """Return what identifying data one case still holds, as counts by kind (only the kinds present)."""
    marks, ids = _text_ids_sql()
    counts = {
        "people": _count(db, "select count(*) as n from people where screening_id = ?", [screening_id]),
        "text_answers": _count(
            db,
            f"select count(*) as n from answers where screening_id = ? and question_id in ({marks})",  # noqa: S608
            [screening_id, *ids],
        ),
        "concerns": int(_concern_evidence(db, screening_id) is not None),
        "reasons": _count(
            db,
            "select count(*) as n from referrals where screening_id = ? and basis_reason is not null",
            [screening_id],
        ),
    }
    return {kind: n for kind, n in counts.items() if n}


def _erase(db, screening_id):
    """Remove the identifying data of one case (inside the caller's transaction); return counts by kind."""
    found = identifying(db, screening_id)
    if not found:
        return found
    marks, ids = _text_ids_sql()
    db.execute("delete from people where screening_id = ?", [screening_id])
    db.execute(
        f"delete from answers where screening_id = ? and question_id in ({marks})",  # noqa: S608
        [screening_id, *ids],
    )
    evidence = _concern_evidence(db, screening_id)
    if evidence is not None:
        evidence["officer_concern"] = None
        db.execute("update screenings set evidence = ? where id = ?", [crypto.encrypt(dumps(evidence)), screening_id])
    db.execute("update referrals set basis_reason = null where screening_id = ?", [screening_id])
    db.execute(
        "update referral_events set reason = null "
        "where referral_id in (select id from referrals where screening_id = ?)",
        [screening_id],
    )
    db.execute("delete from notes where screening_id = ?", [screening_id])
    return found


def _clear_log(db):
    """Empty the write-ahead log so erased values do not linger in it; return whether it could be."""
    busy, _frames, _moved = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy


def _add(total, counts):
    for kind, n in counts.items():
        total[kind] = total.get(kind, 0) + n


def retention_days():
    """Return the configured retention period in days."""
    if has_app_context():
        configured = current_app.config.get("SCREENING_RETENTION_DAYS")
        return RETENTION_DAYS if configured is None else int(configured)
    return RETENTION_DAYS


def cutoff_for(days, today=None):
    """Return the moment before which an ended case is past retention (``today``: a date or a datetime)."""
    if today is None:
        today = datetime.now(UTC)
    elif not isinstance(today, datetime) and isinstance(today, date):
        today = datetime.combine(today, time(0), UTC)
    elif today.tzinfo is None:
        today = today.replace(tzinfo=UTC)
    return today - timedelta(days=days)


def _moment(text):
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ended_before(db, cutoff):
    """Return the screenings that ended before ``cutoff``, and drafts left untouched since then, oldest first.

    A draft nobody has touched for the whole retention period is abandoned: it
    must not keep what was said for ever.
    """
    rows = db.query(
        "select id, reference, coalesce(ended_at, case when status = 'draft' then updated_at end) as ended_at "
        "from screenings order by id"
    )
    return [row for row in rows if row["ended_at"] and _moment(row["ended_at"]) < cutoff]


def purge(db, days=None, dry_run=False, today=None, *, user=None):
    """Erase the identifying data of cases ended more than ``days`` ago; return a summary.

    The summary: "days", "cutoff", "cases" (how many had something to erase), "references",
    "erased" (counts by kind, see KINDS), "dry_run" and "log_cleared". A dry run changes nothing.
    """
    days = retention_days() if days is None else days
    if days < 1:
        raise ValueError("the retention period must be at least one day")
    cutoff = cutoff_for(days, today)
    db.execute("PRAGMA secure_delete = ON")
    summary = {"days": days, "cutoff": cutoff.isoformat(), "references": [], "erased": {}, "dry_run": dry_run}
    if dry_run:
        for screening in _ended_before(db, cutoff):
            found = identifying(db, screening["id"])
            if found:
                summary["references"].append(screening["reference"])
                _add(summary["erased"], found)
        summary.update(cases=len(summary["references"]), log_cleared=None)
        return summary
    with write_transaction(db):
        for screening in _ended_before(db, cutoff):
            found = _erase(db, screening["id"])
            if found:
                summary["references"].append(screening["reference"])
                _add(summary["erased"], found)
                audit.record(db, "purge", user=user, reference=screening["reference"], detail={"erased": found})
        summary["cases"] = len(summary["references"])
        audit.record(db, "purge", user=user, detail={"days": days, "cases": summary["cases"], **summary["erased"]})
    summary["log_cleared"] = _clear_log(db)
    return summary


def erase(db, screening_id, *, user=None, address=None):
    """Erase one case's identifying data now, at the person's request; return counts by kind.

    Records the "erase" entry in the audit trail itself, in the same transaction: callers need not.
    """
    db.execute("PRAGMA secure_delete = ON")
    with write_transaction(db):
        rows = list(db.query("select reference from screenings where id = ?", [screening_id]))
        if not rows:
            raise LookupError(f"no screening {screening_id}")
        found = _erase(db, screening_id)
        audit.record(db, "erase", user=user, address=address, reference=rows[0]["reference"], detail={"erased": found})
    _clear_log(db)
    return found


def backup(db, target, *, force=False, user=None):
    """Copy the live database to ``target`` consistently (SQLite's backup API), checked, readable by the owner only.

    Refuses an existing ``target`` unless ``force``. The copy is one self-contained file; it is
    encrypted like the database and useless without the key, which must be backed up separately.
    """
    target = Path(target).resolve()
    if target.exists() and not force:
        raise FileExistsError(target)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(8)}.partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_MODE))
    try:
        copy = sqlite3.connect(partial)
        try:
            db.conn.backup(copy)
            # A copy in rollback-journal mode is one file: no -wal or -shm beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
            check = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        finally:
            copy.close()
        if check != ["ok"]:
            raise BackupError("the copy failed its integrity check: " + "; ".join(check))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    audit.record(db, "backup", user=user, detail={"file": str(target)})
    return target


data_cli = AppGroup("data", help="Erase data past its retention period, make backups, change the encryption key.")
data_cli.add_command(crypto.rotate_key_command)


@data_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Say what would be erased, and change nothing.")
@click.option("--days", type=click.IntRange(min=1), default=None, help="Retention period (default: the setting).")
def purge_command(dry_run, days):
    """Erase identifying data from cases that ended more than the retention period ago."""
    try:
        summary = purge(get_db(), days, dry_run=dry_run, user=audit.shell_user())
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
    for kind, label in KINDS.items():
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
        written = backup(get_db(), target, force=force, user=audit.shell_user())
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
