"""``flask referral pdf``: print a referral or the person's sheet from the shell, recorded and audited as on the web."""

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from screening.cases import records
from screening.db.connection import get_db
from screening.db.references import normalise_reference
from screening.i18n.languages import supported
from screening.protection.audit import Actor
from screening.referral import documents, referrals, signing

referral_cli = AppGroup("referral", help="Print, verify and import signed referral documents.")


def _pick_referral(db, screening, to):
    found = referrals.find_by_organisation(db, screening["id"], to) if to else referrals.for_case(db, screening["id"])
    if len(found) == 1:
        return found[0]
    if not found:
        raise click.ClickException(_("No referral of this case matches."))
    names = "; ".join(r["organisation_name"] for r in found)
    raise click.ClickException(_("This case has several referrals; choose one with --to: %(names)s", names=names))


@referral_cli.command("pdf")
@click.argument("reference")
@click.option("--lang", "lang", default=None, help="Language of the document (default: the organisation's).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True, help="PDF file to write."
)
@click.option("--to", "to", default=None, help="Part of the receiving organisation's name, when there are several.")
@click.option("--info", is_flag=True, help="Print the person's 'information for you' sheet instead.")
@click.option("--paper", type=click.Choice(documents.PAPER), default="a4", show_default=True)
def referral_pdf_command(reference, lang, output, to, info, paper):
    """Write the referral (or the person's sheet) of case REFERENCE as a PDF."""
    db = get_db()
    screening = records.find(db, normalise_reference(reference) or reference)
    if screening is None:
        raise click.ClickException(_("No case has the reference %(reference)s.", reference=reference))
    referral = _pick_referral(db, screening, to)
    if lang is not None and lang not in supported():
        codes = ", ".join(supported())
        raise click.ClickException(_("Unknown language %(lang)s; choose one of: %(codes)s", lang=lang, codes=codes))
    try:
        _name, data = documents.build(
            db, Actor.shell(), screening, referral, "info" if info else "referral", lang=lang, paper=paper, via="cli"
        )
    except signing.SigningError:
        raise click.ClickException(
            _(
                "The document cannot be signed: this installation's signing key is missing. Restore signing.pem "
                "from your backup, or make a new key with: flask --app wsgi referral rotate-signing-key"
            )
        ) from None
    with open(output, "wb") as handle:
        handle.write(data)
    click.echo(output)
