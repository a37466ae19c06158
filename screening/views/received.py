"""Referrals between installations: import a signed file, trust its sender, the received cases and their follow-up.

Importing and the received cases are for supervisors and administrators (the
organisation's caseworkers); trusting another installation is for
administrators. To anyone else these pages do not exist (404). A received case
of another organisation is "not found" too.
"""

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from screening.access import may, organisation_of
from screening.accounts.auth import reauth_redirect, requires
from screening.db.connection import get_db
from screening.forms.casework import EraseForm, FollowupForm
from screening.forms.received import ImportDocumentForm, TrustForm
from screening.instrument import questionnaire
from screening.instrument.explain import answer_text
from screening.instrument.vocabulary import SERVICES
from screening.protection import certificates, retention
from screening.protection.audit import Actor
from screening.referral import acknowledgements, followup, received, signing, trust
from screening.referral.referrals import ITEMS, PRIORITIES
from screening.views import requested

bp = Blueprint("received", __name__, url_prefix="/received")


def _outcome(outcome):
    """Say what an import did, and go where it did it."""
    if outcome.kind == "acknowledgement":
        status = followup.STATUSES.get(outcome.status, outcome.status)
        if outcome.created:
            flash(_("The acknowledgement is recorded on the referral: %(status)s.", status=status))
        else:
            flash(_("Nothing to record: the referral is %(status)s already.", status=status))
        return redirect(url_for("cases.case", reference=outcome.reference, _anchor="referrals"))
    if outcome.created:
        flash(_("The referral is imported."))
    else:
        flash(_("This referral was imported before: nothing was changed."))
    return redirect(url_for("received.case", key=outcome.key))


@bp.route("/import", methods=["GET", "POST"])
@requires("receive")
def import_file():
    """Import a signed referral (a received case) or an acknowledgement (a follow-up on one of our referrals)."""
    form = ImportDocumentForm()
    unknown = None
    if form.validate_on_submit():
        db = get_db()
        try:
            outcome = acknowledgements.import_file(
                db, Actor.web(), g.user, form.file.data.read(), organisation_of(g.user)
            )
        except received.UnknownSigner as exc:
            unknown = exc.report.verification
        except received.ImportRefused as exc:
            form.file.errors.append(str(exc))
        else:
            return _outcome(outcome)
    return render_template(
        "received/import.html",
        form=form,
        unknown=unknown,
        spaced=certificates.spaced,
        trust_form=TrustForm(data={"certificate": unknown.certificate_pem}) if unknown else None,
        may_trust=may(g.user, "trust"),
    )


@bp.route("/trust", methods=["POST"])
@requires("trust")
def accept():
    """Trust the installation whose certificate the import page showed, once its fingerprint was compared."""
    form = TrustForm()
    certificate = trust.certificate_from(form.certificate.data) if form.validate_on_submit() else None
    if certificate is None:
        flash(_("Import the file again to see its certificate"))
        return redirect(url_for("received.import_file"))
    trust.accept(get_db(), Actor.web(), form.certificate.data)
    flash(
        _(
            "%(name)s is trusted now. Import the file again.",
            name=certificates.subject_name(certificate),
        )
    )
    return redirect(url_for("received.import_file"))


@bp.route("/installations")
@requires("trust")
def installations():
    """List the installations whose signed documents this installation trusts."""
    return render_template(
        "received/installations.html", rows=trust.installations(get_db()), spaced=certificates.spaced
    )


@bp.route("/")
@requires("receive")
def index():
    """List the referrals the account's organisation received, those not acknowledged first."""
    page = requested.page_number(request.args)
    return render_template(
        "received/index.html",
        rows=received.listed(get_db(), g.user, page),
        page=page,
        page_size=received.PAGE,
        priorities=PRIORITIES,
        followup_statuses=followup.STATUSES,
    )


def _received(key):
    case = received.get(get_db(), g.user, key)
    if case is None:
        abort(404)
    return case


@bp.route("/<key>")
@requires("receive")
def case(key):
    """Show a received referral: what the person agreed to share, the priority, the deadline, the follow-up."""
    db = get_db()
    found = _received(key)
    received.opened(db, Actor.web(), found)
    document = found["document"] or {}
    nationality = (document.get("person") or {}).get("nationality")
    return render_template(
        "received/case.html",
        case=found,
        document=document,
        nationality=nationality_text(nationality),
        events=received.events(db, found["id"]),
        next_steps=followup.allowed(found["status"]),
        followup_statuses=followup.STATUSES,
        followup_form=FollowupForm(),
        priorities=PRIORITIES,
        items=ITEMS,
        services=SERVICES,
        spaced=certificates.spaced,
    )


def nationality_text(code):
    """Return a nationality code as the question bank names it, in the interface's language; the code if unknown."""
    if not isinstance(code, str):
        return None
    try:
        return answer_text(questionnaire.FACTS["nationality"], code)[0]
    except (KeyError, IndexError, TypeError, ValueError):
        return code


@bp.route("/<key>/followup", methods=["POST"])
@requires("receive")
def record_followup(key):
    """Record the next step: received, accepted, declined (with a reason) or closed."""
    found = _received(key)
    form = FollowupForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error))
    else:
        try:
            received.advance(get_db(), Actor.web(), found, form.status.data, reason=form.reason.data)
        except followup.IllegalTransition as exc:
            flash(str(exc))
    return redirect(url_for("received.case", key=key, _anchor="followup"))


@bp.route("/<key>/erase", methods=["GET", "POST"])
@requires("receive")
def erase(key):
    """Erase what the person shared in a received referral, on their request, after the password again."""
    found = _received(key)
    asked = reauth_redirect(url_for("received.erase", key=key))
    if asked:
        return asked
    form = EraseForm()
    if form.validate_on_submit():
        retention.erase_received(get_db(), Actor.web(), found["id"])
        flash(_("What the person shared in this referral is erased. Its follow-up stays."))
        return redirect(url_for("received.case", key=key))
    return render_template("received/erase.html", case=found, form=form)


@bp.route("/<key>/acknowledgement.pdf")
@requires("receive")
def acknowledgement(key):
    """Download the signed acknowledgement to send back to the referring installation."""
    found = _received(key)
    asked = reauth_redirect(url_for("received.acknowledgement", key=key))
    if asked:
        return asked
    try:
        name, data = acknowledgements.build(get_db(), Actor.web(), found)
    except acknowledgements.NothingToAcknowledge:
        if found["document"] is None:
            flash(_("What this referral carried was erased: an acknowledgement can no longer be made for it."))
            return redirect(url_for("received.case", key=key, _anchor="followup"))
        flash(_("Record that the referral was received, accepted or declined first."))
        return redirect(url_for("received.case", key=key, _anchor="followup"))
    except signing.SigningError:
        flash(_("The document cannot be signed: this installation's signing key is missing. Tell the administrator."))
        return redirect(url_for("received.case", key=key, _anchor="followup"))
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})
