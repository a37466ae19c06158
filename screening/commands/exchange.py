"""``flask referral verify / import / trust / untrust / trusted / rotate-signing-key``: signed documents, installations.

Thin over trust.py and received.py, like the web pages; the shell's user is the
actor in the audit trail.
"""

import json
from pathlib import Path

import click
from flask_babel import gettext as _

from screening.commands.referral import referral_cli
from screening.db.connection import get_db
from screening.protection import certificates
from screening.protection.audit import Actor
from screening.referral import acknowledgements, followup, received, signing, trust

# Exit statuses of `verify`, for scripts: 0 unchanged and signed by us or a trusted installation.
CHANGED, UNKNOWN_SIGNER = 1, 3


def _read(path):
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise click.ClickException(_("Cannot read %(file)s: %(error)s", file=path, error=exc.strerror)) from None


def _check(path, purpose):
    """Return the trust Report of the file at ``path``; stop with the reason in words when it cannot be checked."""
    try:
        return trust.check(get_db(), Actor.shell(), _read(path), purpose=purpose)
    except signing.NotVerifiable as exc:
        raise click.ClickException(str(trust.REFUSALS[exc.reason])) from None


def echo_signer(report):
    """Print who signed, when, whether the document changed since, and who the signer is to us."""
    verification = report.verification
    click.echo(_("Signed by: %(subject)s", subject=verification.subject))
    click.echo(
        _(
            "Certificate fingerprint (SHA-256): %(fingerprint)s",
            fingerprint=certificates.spaced(verification.fingerprint),
        )
    )
    if verification.signed_at:
        signed_at = verification.signed_at.isoformat()
        click.echo(_("Signed at: %(moment)s (by the signer's clock)", moment=signed_at))
    if verification.unchanged:
        click.echo(_("Document: unchanged since it was signed."))
    elif not verification.intact:
        click.echo(_("Document: CHANGED since it was signed. Do not rely on it."))
    else:
        click.echo(
            _("Document: CHANGED since it was signed: something was added after the signature. Do not rely on it.")
        )
    click.echo(_("Signer: %(standing)s", standing=trust.STANDINGS[report.standing]))
    if report.trusted:
        click.echo(
            _(
                "Trusted since %(moment)s, accepted by %(who)s.",
                moment=report.trusted["accepted_at"],
                who=report.trusted["accepted_by_name"] or "?",
            )
        )


@referral_cli.command("verify")
@click.argument("file", type=click.Path(dir_okay=False))
def verify_command(file):
    """Check the signature of a referral document FILE and print the referral attached to it."""
    report = _check(file, "verify")
    echo_signer(report)
    attachment = report.verification.attachment
    if attachment is not None:
        click.echo(_("Attached referral (%(name)s):", name=signing.ATTACHMENT))
        click.echo(json.dumps(attachment, ensure_ascii=False, indent=2))
    else:
        click.echo(_("No referral is attached to this document."))
    if not report.verification.unchanged:
        raise SystemExit(CHANGED)
    if report.standing == trust.UNKNOWN:
        raise SystemExit(UNKNOWN_SIGNER)


@referral_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--organisation", default="", help="The organisation that received it, as set on its accounts.")
def import_command(file, organisation):
    """Import a signed referral FILE as a received case, or an acknowledgement of one of this installation's."""
    db = get_db()
    try:
        outcome = acknowledgements.import_file(db, Actor.shell(), None, _read(file), organisation)
    except received.UnknownSigner as exc:
        echo_signer(exc.report)
        raise click.ClickException(
            _(
                "%(refusal)s Compare the fingerprint with the sender, then run: "
                "flask --app wsgi referral trust %(file)s",
                refusal=str(exc),
                file=file,
            )
        ) from None
    except received.ImportRefused as exc:
        raise click.ClickException(str(exc)) from None
    if outcome.kind == "acknowledgement":
        status = str(followup.STATUSES.get(outcome.status, outcome.status))
        if outcome.created:
            click.echo(
                _(
                    "Recorded on the referral of case %(reference)s: %(status)s.",
                    reference=outcome.reference,
                    status=status,
                )
            )
        else:
            click.echo(_("Nothing to record: the referral is %(status)s already.", status=status))
    elif outcome.created:
        click.echo(
            _(
                "Imported the referral %(reference)s as received case %(id)d.",
                reference=outcome.reference,
                id=outcome.received_id,
            )
        )
    else:
        click.echo(_("This referral was imported before: nothing was changed."))


@referral_cli.command("trust")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask: the fingerprint was compared with the sender already.")
def trust_command(file, yes):
    """Trust the installation that signed FILE, after comparing its fingerprint with the sender."""
    report = _check(file, "trust")
    echo_signer(report)
    if not report.verification.unchanged:
        raise click.ClickException(_("A document changed since it was signed cannot introduce an installation."))
    if report.standing != trust.UNKNOWN:
        click.echo(_("Nothing to do: this installation is trusted already."))
        return
    if not yes:
        click.confirm(_("Is this the fingerprint the sender read out to you?"), abort=True)
    trust.accept(get_db(), Actor.shell(), report.verification.certificate_pem)
    click.echo(_("Trusted: %(subject)s.", subject=report.verification.subject))


@referral_cli.command("untrust")
@click.argument("fingerprint")
def untrust_command(fingerprint):
    """Stop trusting the installation with this certificate FINGERPRINT (as `referral trusted` lists it)."""
    if not trust.remove(get_db(), Actor.shell(), fingerprint):
        raise click.ClickException(_("No trusted installation has this fingerprint."))
    click.echo(_("No longer trusted: its documents are refused until an administrator accepts it again."))


@referral_cli.command("trusted")
def trusted_command():
    """List the installations whose documents this installation trusts."""
    rows = trust.installations(get_db())
    if not rows:
        click.echo(_("No other installation is trusted yet."))
    for row in rows:
        click.echo(
            f"{row['name']}\t{certificates.spaced(row['fingerprint'])}\t{row['accepted_by_name']}\t{row['accepted_at']}"
        )


@referral_cli.command("rotate-signing-key")
def rotate_command():
    """Make a new signing key for this installation; documents signed before still verify."""
    fingerprint = trust.rotate_key(get_db(), Actor.shell())
    click.echo(_("New signing certificate: %(fingerprint)s", fingerprint=certificates.spaced(fingerprint)))
    click.echo(_("Tell the installations that trust this one: they accept the new fingerprint once."))
