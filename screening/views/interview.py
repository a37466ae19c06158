"""The interview: consent, one page of questions at a time, check your answers, stop, finish.

Every page is saved on the server when it is submitted, before the next one is
shown, so a closed browser or a lost connection loses nothing. Every view looks
the case up through the access check; a case that is not yours is a 404. How a
page moves on to the next (a redirect, or one step for the page's script) is in
steps.py.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from screening.accounts.auth import requires
from screening.cases import records
from screening.db.connection import get_db
from screening.forms.interview import ConsentForm, StopForm, answers_from, page_form, submitted
from screening.instrument import questionnaire
from screening.instrument.logic import first_unanswered, neighbours, walk
from screening.protection.audit import Actor
from screening.views import requested
from screening.views.steps import Q, State, check_page, move_to, question_page, shown

bp = Blueprint("interview", __name__, url_prefix="/s")


def _draft_or_redirect(screening):
    if screening["status"] != records.DRAFT or screening["consent"] != "yes":
        flash(_("This interview is not open for answers."))
        return redirect(url_for("cases.case", reference=screening["reference"]))
    return None


def _note_bank_change(screening):
    """Say so when the questions changed since the interview began (the next page saved records the new version)."""
    if screening["bank_version"] != questionnaire.VERSION:
        flash(
            _(
                "The questions were updated since this interview began. "
                "Answers that no longer fit were set aside: please check the answers."
            )
        )


@bp.route("/<reference>/consent", methods=["GET", "POST"])
@requires("screen")
def consent(reference):
    """Show the consent script to read aloud, and record the answer."""
    screening = requested.case(reference)
    if screening["status"] != records.DRAFT:
        return redirect(url_for("cases.case", reference=reference))
    form = ConsentForm()
    if form.validate_on_submit():
        agreed = form.consent.data == "yes"
        records.record_consent(get_db(), Actor.web(), screening, agreed)
        if not agreed:
            flash(_("The refusal is recorded. Nothing more will be asked."))
            return move_to(url_for("cases.case", reference=reference))
        return move_to(State(records.find(get_db(), reference)).resume_url())
    html = render_template(
        "interview/consent.html",
        screening=screening,
        form=form,
        consent_script=questionnaire.CONSENT_SCRIPT,
        consent_question=questionnaire.CONSENT_QUESTION,
    )
    return shown(html, url_for("interview.consent", reference=reference))


@bp.route("/<reference>/q/<page_id>", methods=["GET", "POST"])
@requires("screen")
def page(reference, page_id):
    """Ask one page of questions; save the answers; go to the next page."""
    screening = requested.case(reference)
    blocked = _draft_or_redirect(screening)
    if blocked:
        return blocked
    _note_bank_change(screening)
    state = State(screening)
    phase = state.phase_of(page_id)
    if phase is None:
        if not any(q.page_id == page_id for q in Q):
            abort(404)
        flash(_("That question does not apply to this interview any more."))
        return move_to(state.resume_url())
    returning = request.values.get("change") == "1"
    questions = phase[page_id]
    if request.method == "POST":
        # An answer on this page may show or hide another of its questions: what was sent decides. A
        # question it shows that the officer has not seen yet (no script to show it in place) is asked next.
        on_page = [q for q in Q if q.page_id == page_id]
        sent = submitted(on_page, request.form)
        visible, _effective = walk(Q, {**state.stored, **sent})
        questions = [q for q in on_page if q in visible and (q in questions or q.id in sent)] or questions
    form = page_form(questions, state.effective)
    if form.validate_on_submit():
        records.save_answers(get_db(), Actor.web(), screening, page_id, answers_from(form, questions))
        return _after_save(reference, page_id, phase is state.interview, returning)
    return question_page(screening, state, page_id, form, returning, {q.id for q in questions})


def _after_save(reference, page_id, in_interview, returning):
    state = State(records.find(get_db(), reference))
    same = state.phase_of(page_id) or {}
    if page_id in same and any(q.id not in state.effective for q in same[page_id]):
        # The answers showed another question on this page: ask it before going on.
        again = url_for("interview.page", reference=reference, page_id=page_id, change="1" if returning else None)
        return move_to(again)
    if in_interview:
        if returning:
            nxt = first_unanswered(state.interview, state.effective)
        else:
            _prev, nxt = neighbours(state.interview, page_id)
        if nxt is None:
            return move_to(url_for("interview.check", reference=reference))
        return move_to(url_for("interview.page", reference=reference, page_id=nxt, change="1" if returning else None))
    _prev, nxt = neighbours(state.observations, page_id)
    if nxt is not None:
        return move_to(url_for("interview.page", reference=reference, page_id=nxt))
    return _finish(state)


def _finish(state):
    reference = state.screening["reference"]
    missing = first_unanswered(state.interview, state.effective) or first_unanswered(
        state.observations, state.effective
    )
    if missing:
        flash(_("Some questions are not answered yet."))
        return move_to(url_for("interview.page", reference=reference, page_id=missing))
    records.end(get_db(), Actor.web(), state.screening, records.COMPLETED)
    return move_to(url_for("cases.case", reference=reference))


@bp.route("/<reference>/check")
@requires("screen")
def check(reference):
    """List every answer with a link to change it, before the officer's observations."""
    screening = requested.case(reference)
    blocked = _draft_or_redirect(screening)
    if blocked:
        return blocked
    return check_page(screening, State(screening))


@bp.route("/<reference>/stop", methods=["GET", "POST"])
@requires("screen")
def stop(reference):
    """Stop the interview; what was said is kept and scored as it stands."""
    screening = requested.case(reference)
    if screening["status"] != records.DRAFT:
        return redirect(url_for("cases.case", reference=reference))
    form = StopForm()
    if form.validate_on_submit():
        records.end(get_db(), Actor.web(), screening, records.STOPPED, stop_reason=form.reason.data)
        flash(_("The interview is stopped. Everything said so far is saved."))
        return move_to(url_for("cases.case", reference=reference))
    return render_template("interview/stop.html", screening=screening, form=form)


@bp.route("/<reference>/resume", methods=["POST"])
@requires("screen")
def resume(reference):
    """Go on with a stopped interview, or pick a draft up where it was left."""
    screening = requested.case(reference)
    if screening["status"] == records.STOPPED:
        records.reopen(get_db(), Actor.web(), screening)
        screening = records.find(get_db(), reference)
    if screening["status"] != records.DRAFT:
        return redirect(url_for("cases.case", reference=reference))
    return redirect(State(screening).resume_url())
