"""Referral pages: the person's details, referring to an organisation, the documents, the officer's own details."""

import json

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from screening.accounts import store
from screening.accounts.auth import recent_login_required, requires
from screening.cases import records
from screening.db.connection import get_db
from screening.forms.fields import options
from screening.forms.referrals import OfficerForm, PersonForm, ReferForm
from screening.i18n.languages import interview_locales, supported
from screening.protection.audit import Actor
from screening.referral import directory, documents, person, referrals, signing
from screening.views import requested

bp = Blueprint("referrals", __name__)
REFERABLE = (records.COMPLETED, records.STOPPED)


def _referable_case(reference):
    screening = requested.case(reference)
    if screening["status"] not in REFERABLE or not screening["assessment"]:
        flash(_("Finish or stop the interview before you refer the person."))
        abort(redirect(url_for("cases.case", reference=reference)))
    return screening


def _organisation_choices(assessment):
    """Return (choices, suggested kinds): organisations of a suggested kind first, marked."""
    suggested = directory.suggested_kinds(assessment)
    rank = {kind: i for i, kind in enumerate(suggested)}
    orgs = sorted(directory.active_organisations(get_db()), key=lambda o: (rank.get(o["kind"], len(rank)), o["name"]))
    labels = []
    for org in orgs:
        label = f"{org['name']} · {directory.kind_label(org['kind'])}"
        if org["kind"] in rank:
            label = _("%(organisation)s (suggested)", organisation=label)
        labels.append((str(org["id"]), label))
    return options(labels), suggested


@bp.route("/s/<reference>/person", methods=["GET", "POST"], endpoint="person")
@requires("screen")
def person_details(reference):
    """Record the person's name, contact and date of birth, for referrals that may carry them."""
    screening = _referable_case(reference)
    db = get_db()
    form = PersonForm()
    if form.validate_on_submit():
        person.save(
            db,
            Actor.web(),
            screening,
            name=form.name.data,
            contact=form.contact.data,
            date_of_birth=form.date_of_birth.data,
        )
        flash(_("The person's details are saved."))
        return redirect(url_for("referrals.refer", reference=reference))
    if not form.is_submitted():
        form.process(data=person.read(db, Actor.web(), screening))
    return render_template("referrals/person.html", screening=screening, form=form)


@bp.route("/s/<reference>/refer", methods=["GET", "POST"])
@requires("screen")
def refer(reference):
    """Refer the person to one organisation, with their consent item by item."""
    screening = _referable_case(reference)
    db = get_db()
    assessment = json.loads(screening["assessment"])
    form = ReferForm()
    form.organisation.choices, suggested = _organisation_choices(assessment)
    if not form.is_submitted():
        form.priority.data = referrals.default_priority(assessment)
        form.services.data = list(assessment["other_needs"])
    if form.validate_on_submit():
        organisation = directory.get_organisation(db, int(form.organisation.data))
        try:
            referrals.create(
                db,
                Actor.web(),
                screening,
                organisation,
                consented=form.consent.data == "yes",
                items=form.items.data or [],
                priority=form.priority.data,
                services=form.services.data or [],
                reason=form.reason.data,
            )
        except referrals.ReferralRefused as exc:
            form.consent.errors.append(str(exc))
        else:
            flash(_("The referral to %(organisation)s is recorded.", organisation=organisation["name"]))
            return redirect(url_for("cases.case", reference=reference, _anchor="referrals"))
    return render_template(
        "referrals/refer.html",
        screening=screening,
        form=form,
        assessment=assessment,
        suggested=[directory.kind_label(k) for k in suggested],
        person=person.stored(db, screening["id"]),
    )


def _document(reference, referral_id, document):
    screening = _referable_case(reference)
    db = get_db()
    referral = referrals.get(db, screening["id"], referral_id)
    if referral is None:
        abort(404)
    lang = request.args.get("lang")
    paper = request.args.get("paper")
    # The person's sheet may be printed in any language of the interview, the referral in the interface's.
    offered = interview_locales() if document == "info" else supported()
    try:
        name, data = documents.build(
            db,
            Actor.web(),
            screening,
            referral,
            document,
            lang=lang if lang in offered else None,
            paper=paper if paper in documents.PAPER else "a4",
        )
    except signing.SigningError:
        flash(_("The document cannot be signed: this installation's signing key is missing. Tell the administrator."))
        return redirect(url_for("cases.case", reference=reference, _anchor="referrals"))
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/s/<reference>/referrals/<id:referral_id>.pdf")
@requires("screen")
@recent_login_required
def referral_pdf(reference, referral_id):
    """Download the referral for the receiving organisation, in its print language by default."""
    return _document(reference, referral_id, "referral")


@bp.route("/s/<reference>/referrals/<id:referral_id>/info.pdf")
@requires("screen")
@recent_login_required
def info_pdf(reference, referral_id):
    """Download the person's "information for you" sheet, in the interview language by default."""
    return _document(reference, referral_id, "info")


@bp.route("/account", methods=["GET", "POST"])
@requires("screen")
def account():
    """Let officers say how they are named on referrals."""
    form = OfficerForm(data=g.user)
    if form.validate_on_submit():
        store.set_details(
            get_db(), Actor.web(), full_name=form.full_name.data, agency=form.agency.data, phone=form.phone.data
        )
        flash(_("Your details are saved."))
        return redirect(url_for("cases.index"))
    return render_template("referrals/account.html", form=form)
