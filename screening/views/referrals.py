"""Referral pages: the person's details, referring to an organisation, and the printable documents."""

import json

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from screening.accounts.auth import login_required, recent_login_required
from screening.cases import records as cases
from screening.db.connection import get_db
from screening.forms.interview import options
from screening.forms.referrals import OfficerForm, PersonForm, ReferForm
from screening.i18n.languages import supported
from screening.protection import audit
from screening.referral import directory, pdf, referrals
from screening.views.interview import load_case

bp = Blueprint("referrals", __name__)
REFERABLE = (cases.COMPLETED, cases.STOPPED)


def _referable_case(reference):
    screening = load_case(reference)
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


@bp.route("/s/<reference>/person", methods=["GET", "POST"])
@login_required
def person(reference):
    """Record the person's name, contact and date of birth, for referrals that may carry them."""
    screening = _referable_case(reference)
    db = get_db()
    form = PersonForm(data=referrals.person(db, screening["id"]))
    if form.validate_on_submit():
        referrals.save_person(db, screening["id"], form.name.data, form.contact.data, form.date_of_birth.data)
        flash(_("The person's details are saved."))
        return redirect(url_for("referrals.refer", reference=reference))
    return render_template("referrals/person.html", screening=screening, form=form)


@bp.route("/s/<reference>/refer", methods=["GET", "POST"])
@login_required
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
                screening,
                organisation,
                g.user["id"],
                consented=form.consent.data == "yes",
                items=form.items.data or [],
                priority=form.priority.data,
                services=form.services.data or [],
                reason=form.reason.data,
            )
        except referrals.ReferralRefused as exc:
            form.consent.errors.append(str(exc))
        else:
            audit.record_request("refer", reference=reference, detail={"organisation": organisation["id"]})
            flash(_("The referral to %(organisation)s is recorded.", organisation=organisation["name"]))
            return redirect(url_for("cases.case", reference=reference, _anchor="referrals"))
    return render_template(
        "referrals/refer.html",
        screening=screening,
        form=form,
        assessment=assessment,
        suggested=[directory.kind_label(k) for k in suggested],
        person=referrals.person(db, screening["id"]),
    )


def _document(reference, referral_id, document):
    screening = _referable_case(reference)
    db = get_db()
    referral = referrals.get(db, screening["id"], referral_id)
    if referral is None:
        abort(404)
    organisation = directory.get_organisation(db, referral["organisation_id"])
    default = referral["print_lang"] if document == "referral" else screening["interview_lang"]
    lang = request.args.get("lang") if request.args.get("lang") in supported() else default
    paper = request.args.get("paper") if request.args.get("paper") in pdf.PAPER else "a4"
    answers = cases.answers(db, screening["id"])
    if document == "referral":
        person = referrals.person(db, screening["id"])
        html = pdf.referral_html(screening, referral, person, answers, g.user, lang)
        attachment = pdf.payload(screening, referral, person, answers, g.user)
    else:
        html, attachment = pdf.info_html(screening, referral, organisation, lang), None
    data = pdf.render(html, paper, attachment)
    referrals.record_export(db, screening["id"], referral["id"], document, lang, g.user["id"], "web")
    audit.record_request(
        "export_pdf", reference=reference, detail={"document": document, "lang": lang, "referral": referral["id"]}
    )
    name = f"{screening['reference']}-{document}-{referral['id']}-{lang}.pdf"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/s/<reference>/referrals/<int:referral_id>.pdf")
@recent_login_required
def referral_pdf(reference, referral_id):
    """Download the referral for the receiving organisation, in its print language by default."""
    return _document(reference, referral_id, "referral")


@bp.route("/s/<reference>/referrals/<int:referral_id>/info.pdf")
@recent_login_required
def info_pdf(reference, referral_id):
    """Download the person's "information for you" sheet, in the interview language by default."""
    return _document(reference, referral_id, "info")


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Let officers say how they are named on referrals."""
    form = OfficerForm(data=g.user)
    if form.validate_on_submit():
        get_db().execute(
            "update users set full_name = ?, agency = ?, phone = ? where id = ?",
            [form.full_name.data, form.agency.data, form.phone.data, g.user["id"]],
        )
        flash(_("Your details are saved."))
        return redirect(url_for("cases.index"))
    return render_template("referrals/account.html", form=form)
