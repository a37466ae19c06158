"""``flask audio export / import``: one language's approved recordings as a pack, and packs from elsewhere."""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from screening.audio import packs
from screening.db.connection import get_db
from screening.i18n.languages import interview_locales
from screening.protection.audit import Actor

EXIT_BAD_INPUT = 2

audio_cli = AppGroup("audio", help="Recordings of the texts the person hears.")


@audio_cli.command("export")
@click.option("--lang", required=True, help="The interview language, for example km.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The zip file to write.")
def export_command(lang, output):
    """Write the approved, current recordings of one language to a pack."""
    if lang not in interview_locales():
        click.echo(f"{lang!r} is not an interview language here: {', '.join(interview_locales())}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    data, count = packs.export(get_db(), lang)
    Path(output).write_bytes(data)
    click.echo(f"{count} recording(s) in {lang} written to {output}")


@audio_cli.command("import")
@click.argument("pack", type=click.Path(exists=True, dir_okay=False))
def import_command(pack):
    """Check a pack whole, then keep its recordings as approved; nothing is kept from a pack with any fault."""
    try:
        lang, kept, stale, already = packs.import_pack(
            get_db(), Actor.shell(), Path(pack).read_bytes(), set(interview_locales())
        )
    except packs.PackError as refused:
        click.echo(f"Refused, nothing imported: {refused}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(f"{kept} recording(s) in {lang} imported and approved; {already} already here")
    if stale:
        click.echo(f"{stale} left out: recorded for words that are no longer the text here (record them again)")
