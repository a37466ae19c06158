"""``flask users``: accounts made from the shell by the machine's owner; the audit entry names the shell user."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from screening.access import ROLE_NAMES, ROLES
from screening.accounts import passwords, store
from screening.db.connection import get_db
from screening.protection.audit import Actor

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@click.option("--organisation", default=None, help="The account's organisation (default: none).")
@click.option("--set-password", is_flag=True, help="Type the password instead of printing a one-time one.")
def create_command(username, role, organisation, set_password):
    """Create an account and print a one-time password (or set one interactively)."""
    if set_password:
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
        refused = passwords.problem(password, username)
        if refused:
            raise click.ClickException(str(refused))
    else:
        password = passwords.one_time()
    try:
        store.create(
            get_db(),
            Actor.shell(),
            username=username,
            password=password,
            role=role,
            organisation=organisation,
            must_change=not set_password,
        )
    except store.UsernameTaken as exc:
        raise click.ClickException(_("The username %(name)s is taken.", name=username)) from exc
    click.echo(_("Created the %(role)s account %(name)s.", role=ROLE_NAMES[role], name=username))
    if not set_password:
        click.echo(_("One-time password (to be changed at the first login): %(password)s", password=password))
