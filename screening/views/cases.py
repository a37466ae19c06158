"""The officer's cases: the list, starting a new screening, and one case's page with its result."""

import json

from flask import Blueprint, g, redirect, render_template, url_for

from screening.accounts.auth import login_required
from screening.cases import casework
from screening.cases import records as cases
from screening.db.connection import get_db
from screening.forms.casework import LinkForm, NoteForm
from screening.forms.interview import STOP_REASONS, StartForm
from screening.i18n.languages import LANGUAGE_NAMES
from screening.instrument.explain import explain
from screening.protection import audit
from screening.referral import followup, referrals
from screening.views.interview import State, load_case

bp = Blueprint("cases", __name__)


@bp.route("/")
@login_required
def index():
    """List the cases this account may see, drafts first."""
    rows = cases.list_for(get_db(), g.user)
    return render_template("cases/index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Confirm a private setting and the language, then open a draft screening."""
    db = get_db()
    form = StartForm()
    if not form.is_submitted():
        form.post.data = cases.last_post(db, g.user["id"])
    if form.validate_on_submit():
        screening = cases.create(db, g.user["id"], form.post.data, form.interview_lang.data, form.interpreter.data)
        return redirect(url_for("interview.consent", reference=screening["reference"]))
    return render_template("cases/new.html", form=form)


@bp.route("/s/<reference>")
@login_required
def case(reference):
    """Show a case: its result when ended, or where to go on when it is a draft."""
    screening = load_case(reference)
    audit.record_request("view_case", reference=reference)
    state = State(screening)
    db = get_db()
    referral_rows = [
        {
            **r,
            "events": followup.events(db, r["id"]),
            "next": followup.allowed(r["status"]),
            "overdue": followup.is_overdue(r),
        }
        for r in referrals.for_case(db, screening["id"])
    ]
    exports = referrals.exports_for(db, screening["id"])
    note_rows = casework.notes(db, screening["id"])
    earlier, later = casework.linked(db, screening)
    result = None
    if screening["assessment"]:
        result = explain(json.loads(screening["assessment"]), json.loads(screening["evidence"]), state.effective)
    return render_template(
        "cases/case.html",
        screening=screening,
        assessment=json.loads(screening["assessment"]) if screening["assessment"] else None,
        result=result,
        resume_url=state.resume_url() if screening["status"] == cases.DRAFT else None,
        language=LANGUAGE_NAMES.get(screening["interview_lang"], screening["interview_lang"]),
        stop_reason=STOP_REASONS.get(screening["stop_reason"]),
        urgent=state.urgent_panel() if not result else None,
        referrals=referral_rows,
        exports=exports,
        priorities=referrals.PRIORITIES,
        bases=referrals.BASES,
        documents=referrals.DOCUMENTS,
        notes=note_rows,
        earlier=earlier,
        later=later,
        followup_statuses=followup.STATUSES,
        timeline=casework.timeline(
            db, screening, referral_rows, exports, note_rows, referrals.DOCUMENTS, followup.STATUSES
        ),
        note_form=NoteForm(formdata=None),
        link_form=LinkForm(formdata=None),
    )
