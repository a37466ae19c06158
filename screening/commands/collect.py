"""``flask cases import``: screenings collected offline (ODK Collect, KoboToolbox, Enketo) brought in from files."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from screening.accounts import store
from screening.collect import encryption
from screening.collect.formats import NONE_FOUND, SubmissionError, read, read_files
from screening.collect.intake import import_submissions
from screening.db.connection import get_db
from screening.protection.audit import Actor

EXIT_BAD_INPUT = 2

cases_cli = AppGroup("cases", help="Screenings collected elsewhere.")


def _files_under(folder):
    return {str(p.relative_to(folder.parent)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _submissions(paths, key):
    """Return every submission in the named files and folders; raise SubmissionError naming the first unreadable."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            in_folder = read_files(_files_under(path), key)
            if not in_folder:
                raise SubmissionError(path.name, NONE_FOUND)
            found += in_folder
            continue
        siblings = {p.name: p.read_bytes() for p in path.parent.glob("*.enc") if p.is_file()}
        found += read(path.name, path.read_bytes(), key, siblings=siblings)
    return found


@cases_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "--as",
    "username",
    required=True,
    help="The supervisor or administrator importing; owns each case whose officer is not of their organisation.",
)
def import_command(paths, username):
    """Import ODK submission XML (plain or encrypted; file, folder or zip), ODK Central CSV or KoboToolbox JSON."""
    db = get_db()
    user = store.by_username(db, username, active_only=True)
    if user is None or user["role"] not in ("supervisor", "admin"):
        click.echo(f"Error: {username!r} is not an active supervisor or administrator.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    key = encryption.key(current_app.config["SCREENING_SIGNING_DIR"])
    try:
        submissions = _submissions(paths, key)
    except SubmissionError as exc:
        click.echo(f"Error: {exc}. Nothing was imported.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    report = import_submissions(db, Actor.of(user), submissions)
    for error in report.errors:
        click.echo(f"Error: {error}", err=True)
    if report.errors:
        click.echo("Nothing was imported: correct these and import again.", err=True)
        sys.exit(EXIT_BAD_INPUT)
    for reference in report.imported:
        click.echo(f"Imported {reference}")
    for source in report.reassigned:
        click.echo(f"{source}: its officer is not an active account of your organisation; the case is {username}'s.")
    for source in report.already:
        click.echo(f"Already imported, left as it was: {source}")
    click.echo(f"{len(report.imported)} imported, {len(report.already)} already there.")
