"""Where an interview stands and how it moves on: by redirects for a plain browser, in one step for the page's script.

Without JavaScript every answered page is a form post and a redirect to the next
page. With it, the page's script (static/interview.js) sends the same form in
the background with the header ``X-Screening-Step``: the answers are saved
exactly as before, and the reply is the next page itself (no redirect: one round
trip on a slow network), marked with its address in ``X-Step-URL``; when the
interview leaves its pages (the result, the case), the reply is empty and names
the address in ``X-Step-Leave``. The server stays the judge of every answer and
condition; the script only shows what it is sent.
"""

from urllib.parse import parse_qs, urlsplit

from flask import current_app, make_response, redirect, render_template, request, url_for

from screening.cases import records
from screening.cases.handover import asked_alone
from screening.db.connection import get_db
from screening.forms.interview import page_form
from screening.instrument import questionnaire
from screening.instrument.bank import INTERVIEW, OBSERVATIONS
from screening.instrument.explain import URGENT_ACTIONS, answer_text
from screening.instrument.logic import evidence_of, first_unanswered, neighbours, pages, revealed_by, walk
from screening.instrument.vocabulary import URGENT_REASONS

STEP_HEADER = "X-Screening-Step"
URL_HEADER = "X-Step-URL"
LEAVE_HEADER = "X-Step-Leave"
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

    def part_of(self, page_id):
        """Return (this part's number, how many parts): the sections shown, which skip logic rarely changes."""
        sections = []
        for questions in (*self.interview.values(), *self.observations.values()):
            if questions[0].section not in sections:
                sections.append(questions[0].section)
        section = next(q.section for q in Q if q.page_id == page_id)
        return sections.index(section) + 1, len(sections)

    def not_asked(self):
        """Return the titles of the sections with a question still to be asked, in order."""
        titles = []
        for page in (*self.interview.values(), *self.observations.values()):
            for q in page:
                if q.id not in self.effective and S[q.section].title not in titles:
                    titles.append(S[q.section].title)
        return titles

    def alone_left(self):
        """Return whether some of the person's questions are left for them to answer alone (cases/handover.py)."""
        return any(asked_alone(q) and q.id not in self.effective for qs in self.interview.values() for q in qs)

    def urgent_panel(self):
        """Return (reason, what to do) for each urgent flag answered so far."""
        return [(URGENT_REASONS[r], URGENT_ACTIONS[r]) for r in self.urgent]

    def urgent_raised_on(self, page_id):
        """Return the urgent flags that the answers on ``page_id`` raise (none of the other answers would)."""
        if not page_id:
            return []
        on_page = {q.id for q in Q if q.page_id == page_id}
        without = evidence_of(Q, {k: v for k, v in self.effective.items() if k not in on_page})["urgent"]
        return [r for r in self.urgent if r not in without]


def is_step():
    """Return whether this request comes from the page's script, wanting the next page in one step."""
    return request.headers.get(STEP_HEADER) == "1"


def shown(html, url):
    """Return an interview page, marked with its address for the page's script."""
    response = make_response(html)
    response.headers[URL_HEADER] = url
    return response


def move_to(url):
    """Go on to ``url``: a redirect, or for the page's script the page itself (or where to leave for)."""
    if not is_step():
        return redirect(url)
    parts = urlsplit(url)
    endpoint, arguments = current_app.url_map.bind("").match(parts.path)
    screening = records.find(get_db(), arguments.get("reference"))
    if endpoint == "interview.page" and screening:
        returning = parse_qs(parts.query).get("change") == ["1"]
        return question_page(screening, State(screening), arguments["page_id"], None, returning)
    if endpoint == "interview.check" and screening:
        return check_page(screening, State(screening))
    response = current_app.response_class(status=204)
    response.headers[LEAVE_HEADER] = url
    return response


def page_items(state, page_id, form, visible_ids):
    """Return (question, field, hidden, shown by) for each question the page shows, or may reveal in place.

    A question whose condition an answer on the same page decides is sent hidden, with the
    answers that show it (``shown by``), so that the script can show it without a round trip.
    """
    on_page = [q for q in Q if q.page_id == page_id]
    later = [q for q in on_page if q.id not in visible_ids]
    triggers = {q.id: revealed_by(Q, state.effective, on_page, q) for q in later}
    hidden = [q for q in later if triggers[q.id]]
    hidden_form = page_form(hidden, state.effective, formdata=None)
    items = []
    for q in on_page:
        if q.id in visible_ids:
            items.append((q, form[q.id], False, ()))
        elif triggers.get(q.id):
            items.append((q, hidden_form[q.id], True, triggers[q.id]))
    return items


def question_page(screening, state, page_id, form, returning, visible_ids=None):
    """Return one page of questions, shown with ``form`` (its answers and errors) or the stored answers."""
    phase = state.phase_of(page_id)
    questions = phase[page_id]
    visible_ids = visible_ids or {q.id for q in questions}
    form = form or page_form(questions, state.effective)
    reference = screening["reference"]
    back, following = neighbours(phase, page_id)
    part, parts = state.part_of(page_id)
    here = url_for("interview.page", reference=reference, page_id=page_id, change="1" if returning else None)
    html = render_template(
        "interview/question.html",
        screening=screening,
        page_id=page_id,
        items=page_items(state, page_id, form, visible_ids),
        form=form,
        section=S[questions[0].section],
        part=part,
        parts=parts,
        finishing=phase is state.observations and following is None,
        back=url_for("interview.page", reference=reference, page_id=back) if back else None,
        returning=returning,
        urgent=state.urgent_panel(),
        # Shown in full on the page after the answer that raised it; folded to its reasons after that.
        urgent_new=bool(state.urgent_raised_on(back) or state.urgent_raised_on(page_id)),
        action=here,
        hand_over=phase is state.interview and state.alone_left(),
    )
    return shown(html, here)


def check_page(screening, state):
    """Return the check page: every answer of the interview in short form under its section, with Change links."""
    reference = screening["reference"]
    alone = records.answered_by_person(get_db(), screening["id"])
    groups = {}
    for page_id, questions in state.interview.items():
        for q in questions:
            value = state.effective.get(q.id)
            groups.setdefault(q.section, []).append(
                {
                    "question": q,
                    "answer": answer_text(q, value) if value is not None else None,
                    "change": url_for("interview.page", reference=reference, page_id=page_id, change="1"),
                    "by_person": q.id in alone and value is not None,
                }
            )
    sections = [(S[name].title, rows) for name, rows in groups.items()]
    missing = [r for rows in groups.values() for r in rows if r["answer"] is None]
    first_obs = next(iter(state.observations))
    html = render_template(
        "interview/check.html",
        screening=screening,
        sections=sections,
        missing=missing,
        next_url=url_for("interview.page", reference=reference, page_id=first_obs),
        urgent=state.urgent_panel(),
    )
    return shown(html, url_for("interview.check", reference=reference))
