"""Casework on a case page: notes, links between screenings, referral follow-up, erasure on request."""

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from screening.access import can_see
from screening.accounts.auth import reauth_redirect, requires
from screening.cases import casework, records
from screening.db.connection import get_db
from screening.db.references import normalise_reference
from screening.forms.casework import EraseForm, FollowupForm, LinkForm, NoteForm
from screening.protection import retention
from screening.protection.audit import Actor
from screening.referral import followup, referrals
from screening.views import requested

bp = Blueprint("casework", __name__)


def _back(reference, anchor=None):
    return redirect(url_for("cases.case", reference=reference, _anchor=anchor))


def _refuse(reference, form, anchor):
    for errors in form.errors.values():
        for error in errors:
            flash(str(error))
    return _back(reference, anchor)


@bp.route("/s/<reference>/notes", methods=["POST"])
@requires("screen")
def add_note(reference):
    """Add a caseworker's note (encrypted) to the case."""
    screening = requested.case(reference)
    form = NoteForm()
    if not form.validate_on_submit():
        return _refuse(reference, form, "notes")
    casework.add_note(get_db(), Actor.web(), screening, form.text.data)
    flash(_("The note is saved."))
    return _back(reference, "notes")


@bp.route("/s/<reference>/link", methods=["POST"])
@requires("screen")
def link(reference):
    """Link this screening to an earlier screening of the same person, if this account may see both."""
    screening = requested.case(reference)
    form = LinkForm()
    if not form.validate_on_submit():
        return _refuse(reference, form, "links")
    db = get_db()
    earlier_reference = normalise_reference(form.earlier.data)
    earlier = records.find(db, earlier_reference) if earlier_reference else None
    if not can_see(g.user, earlier) or earlier["id"] == screening["id"]:
        flash(_("No other case you can see has that reference."))
        return _back(reference, "links")
    casework.link(db, Actor.web(), screening, earlier)
    flash(_("Linked to the earlier screening %(reference)s.", reference=earlier["reference"]))
    return _back(reference, "links")


@bp.route("/s/<reference>/referrals/<id:referral_id>/followup", methods=["POST"])
@requires("screen")
def record_followup(reference, referral_id):
    """Record the next step of a referral: received, accepted, declined (with a reason) or closed."""
    screening = requested.case(reference)
    db = get_db()
    referral = referrals.get(db, screening["id"], referral_id)
    if referral is None:
        abort(404)
    form = FollowupForm()
    if not form.validate_on_submit():
        return _refuse(reference, form, "referrals")
    try:
        followup.advance(db, Actor.web(), screening, referral, form.status.data, reason=form.reason.data)
    except followup.IllegalTransition as exc:
        flash(str(exc))
    return _back(reference, "referrals")


@bp.route("/s/<reference>/erase", methods=["GET", "POST"])
@requires("screen")
def erase(reference):
    """Erase the person's identifying data on their request, after the password again."""
    screening = requested.case(reference)
    asked = reauth_redirect(url_for("casework.erase", reference=reference))
    if asked:
        return asked
    form = EraseForm()
    if form.validate_on_submit():
        retention.erase(get_db(), Actor.web(), screening["id"])
        flash(_("The person's identifying data is erased. The de-identified answers stay for statistics."))
        return _back(reference)
    return render_template("casework/erase.html", screening=screening, form=form)
