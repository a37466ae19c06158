"""The officer's cases: the list, starting a new screening, and one case's page with its result."""

import json

from flask import Blueprint, g, redirect, render_template, request, url_for

from screening.accounts.auth import requires
from screening.cases import casework, records
from screening.db.connection import get_db
from screening.forms.casework import FollowupForm, LinkForm, NoteForm
from screening.forms.interview import STOP_REASONS, StartForm
from screening.i18n.languages import current_code, language_choices, language_name
from screening.instrument.explain import explain
from screening.protection.audit import Actor
from screening.referral import documents, followup, referrals
from screening.views import requested
from screening.views.interview import State
from screening.views.steps import Q

bp = Blueprint("cases", __name__)


@bp.route("/")
@requires("screen")
def index():
    """List the cases this account may see, drafts first."""
    return render_template("cases/index.html", rows=records.listing(get_db(), g.user))


@bp.route("/new", methods=["GET", "POST"])
@requires("screen")
def new():
    """Confirm a private setting and the language, then open a draft screening.

    The officer may not know which language the person speaks: "let the person
    choose" shows every interview language in its own script for the person to
    tap, then comes back here with it chosen and with what the officer had
    entered, none of it checked or stored yet.
    """
    db = get_db()
    form = StartForm()
    if form.is_submitted() and request.form.get("choose") == "language":
        return render_template("cases/language.html", form=form, choices=language_choices())
    if form.is_submitted() and request.form.get("chosen"):
        return render_template("cases/new.html", form=form)
    if not form.is_submitted():
        form.post.data = records.last_post(db, g.user["id"])
        # The person most often speaks the language the officer works in: offer it first.
        form.interview_lang.data = current_code()
    if form.validate_on_submit():
        screening = records.create(db, Actor.web(), form.post.data, form.interview_lang.data, form.interpreter.data)
        return redirect(url_for("interview.consent", reference=screening["reference"]))
    return render_template("cases/new.html", form=form)


@bp.route("/s/<reference>")
@requires("screen")
def case(reference):
    """Show a case: its result when ended, or where to go on when it is a draft."""
    screening = requested.case(reference)
    state = State(screening)
    alone = records.answered_by_person(get_db(), screening["id"])
    case_file = casework.case_file(get_db(), Actor.web(), screening)
    assessment = json.loads(screening["assessment"]) if screening["assessment"] else None
    result = explain(assessment, json.loads(screening["evidence"]), state.effective) if assessment else None
    return render_template(
        "cases/case.html",
        screening=screening,
        assessment=assessment,
        result=result,
        nothing_answered=not state.effective,
        by_person=[q.text for q in Q if q.id in alone],
        not_asked=state.not_asked() if screening["status"] == records.STOPPED else [],
        resume_url=state.resume_url() if screening["status"] == records.DRAFT else None,
        language=language_name(screening["interview_lang"]),
        stop_reason=STOP_REASONS.get(screening["stop_reason"]),
        urgent=state.urgent_panel() if not result else None,
        priorities=referrals.PRIORITIES,
        bases=referrals.BASES,
        documents=documents.DOCUMENTS,
        followup_statuses=followup.STATUSES,
        note_form=NoteForm(formdata=None),
        link_form=LinkForm(formdata=None),
        followup_form=FollowupForm(formdata=None),
        **case_file,
    )
