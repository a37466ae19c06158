"""The interview: consent, one page of questions at a time, check your answers, stop, finish.

Every page is saved on the server when it is submitted, before the next one is
shown, so a closed browser or a lost connection loses nothing. Every view looks
the case up through the access check; a case that is not yours is a 404.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from screening.accounts.auth import requires
from screening.cases import records
from screening.db.connection import get_db
from screening.forms.interview import ConsentForm, StopForm, answers_from, page_form
from screening.instrument import questionnaire
from screening.instrument.bank import INTERVIEW, OBSERVATIONS
from screening.instrument.explain import URGENT_ACTIONS, answer_text
from screening.instrument.logic import evidence_of, first_unanswered, neighbours, pages, walk
from screening.instrument.vocabulary import URGENT_REASONS
from screening.protection.audit import Actor
from screening.views import requested

bp = Blueprint("interview", __name__, url_prefix="/s")
Q, S = questionnaire.QUESTIONS, questionnaire.SECTIONS


class State:
    """Where an interview stands: stored answers, visible pages, urgent flags."""

    def __init__(self, screening):
        self.screening = screening
        self.stored = records.answers(get_db(), screening["id"])
        self.visible, self.effective = walk(Q, self.stored)
        self.interview = pages(self.visible, S, INTERVIEW)
        self.observations = pages(self.visible, S, OBSERVATIONS)
        self.urgent = evidence_of(Q, self.effective)["urgent"]

    def phase_of(self, page_id):
        """Return the pages of the phase ``page_id`` belongs to, or None if it is not visible."""
        for phase in (self.interview, self.observations):
            if page_id in phase:
                return phase
        return None

    def resume_url(self):
        """Return the page where the interview should go on."""
        ref = self.screening["reference"]
        if self.screening["consent"] != "yes":
            return url_for("interview.consent", reference=ref)
        page = first_unanswered(self.interview, self.effective)
        if page:
            return url_for("interview.page", reference=ref, page_id=page)
        page = first_unanswered(self.observations, self.effective)
        if page and any(q.id in self.effective for qs in self.observations.values() for q in qs):
            return url_for("interview.page", reference=ref, page_id=page)
        return url_for("interview.check", reference=ref)

    def not_asked(self):
        """Return the titles of the sections with a question still to be asked, in order."""
        titles = []
        for page in (*self.interview.values(), *self.observations.values()):
            for q in page:
                if q.id not in self.effective and S[q.section].title not in titles:
                    titles.append(S[q.section].title)
        return titles

    def urgent_panel(self):
        """Return (reason, what to do) for each urgent flag answered so far."""
        return [(URGENT_REASONS[r], URGENT_ACTIONS[r]) for r in self.urgent]


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
            return redirect(url_for("cases.case", reference=reference))
        return redirect(State(records.find(get_db(), reference)).resume_url())
    return render_template(
        "interview/consent.html",
        screening=screening,
        form=form,
        consent_script=questionnaire.CONSENT_SCRIPT,
        consent_question=questionnaire.CONSENT_QUESTION,
    )


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
        return redirect(state.resume_url())
    questions = phase[page_id]
    form = page_form(questions, state.effective)
    returning = request.values.get("change") == "1"
    if form.validate_on_submit():
        records.save_answers(get_db(), Actor.web(), screening, page_id, answers_from(form, questions))
        return _after_save(reference, page_id, phase is state.interview, returning)
    back, _next = neighbours(phase, page_id)
    ids = list(state.interview) + list(state.observations)
    return render_template(
        "interview/question.html",
        screening=screening,
        page_id=page_id,
        questions=questions,
        form=form,
        section=S[questions[0].section],
        position=ids.index(page_id) + 1,
        total=len(ids),
        back=url_for("interview.page", reference=reference, page_id=back) if back else None,
        returning=returning,
        urgent=state.urgent_panel(),
    )


def _after_save(reference, page_id, in_interview, returning):
    state = State(records.find(get_db(), reference))
    if in_interview:
        if returning:
            nxt = first_unanswered(state.interview, state.effective)
        else:
            _prev, nxt = neighbours(state.interview, page_id)
        if nxt is None:
            return redirect(url_for("interview.check", reference=reference))
        return redirect(url_for("interview.page", reference=reference, page_id=nxt, change="1" if returning else None))
    _prev, nxt = neighbours(state.observations, page_id)
    if nxt is not None:
        return redirect(url_for("interview.page", reference=reference, page_id=nxt))
    return _finish(state)


def _finish(state):
    reference = state.screening["reference"]
    missing = first_unanswered(state.interview, state.effective) or first_unanswered(
        state.observations, state.effective
    )
    if missing:
        flash(_("Some questions are not answered yet."))
        return redirect(url_for("interview.page", reference=reference, page_id=missing))
    records.end(get_db(), Actor.web(), state.screening, records.COMPLETED)
    return redirect(url_for("cases.case", reference=reference))


@bp.route("/<reference>/check")
@requires("screen")
def check(reference):
    """List every answer with a link to change it, before the officer's observations."""
    screening = requested.case(reference)
    blocked = _draft_or_redirect(screening)
    if blocked:
        return blocked
    state = State(screening)
    groups = {}
    for page_id, questions in state.interview.items():
        for q in questions:
            value = state.effective.get(q.id)
            groups.setdefault(q.section, []).append(
                {
                    "question": q,
                    "answer": answer_text(q, value) if value is not None else None,
                    "change": url_for("interview.page", reference=reference, page_id=page_id, change="1"),
                }
            )
    sections = [(S[name].title, rows) for name, rows in groups.items()]
    missing = [r for rows in groups.values() for r in rows if r["answer"] is None]
    first_obs = next(iter(state.observations))
    return render_template(
        "interview/check.html",
        screening=screening,
        sections=sections,
        missing=missing,
        next_url=url_for("interview.page", reference=reference, page_id=first_obs),
        urgent=state.urgent_panel(),
    )


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
        return redirect(url_for("cases.case", reference=reference))
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
