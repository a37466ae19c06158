"""``flask demo seed``: clearly fake screenings for trying the app; refused on a database with real cases."""

import click
from flask.cli import AppGroup
from flask_babel import ngettext

from screening import demo
from screening.db.connection import get_db
from screening.protection.audit import Actor

demo_cli = AppGroup("demo", help="Clearly fake data for trying the app.")


@demo_cli.command("seed")
@click.option("--count", default=50, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--force", is_flag=True, help="Add demo cases even where real cases exist.")
@click.option("--seed", "seed_value", type=int, default=None, help="Random seed, for repeatable data.")
def seed_command(count, force, seed_value):
    """Create COUNT fake completed screenings and print their references."""
    db = get_db()
    real = demo.real_case_count(db)
    if real and not force:
        raise click.ClickException(
            ngettext(
                "This database holds %(num)d real screening. Demo data would mix with it; "
                "use --force only if you are sure.",
                "This database holds %(num)d real screenings. Demo data would mix with them; "
                "use --force only if you are sure.",
                real,
            )
        )
    for reference in demo.seed(db, count, seed_value, actor=Actor.shell()):
        click.echo(reference)
