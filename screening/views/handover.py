"""The phone handed to the person: the officer's code, the person's questions one at a time, giving it back.

While a session is handed over (cases/handover.py) it is the person's: every page
is in the interview language, shows one of their own questions with large
buttons and a play control, and nothing else: no menu, no case reference, no
earlier answer. Every other address of the app refuses (``guard``). The pages are
plain forms; the page's script (static/turn.js) only plays the recordings.
"""

import secrets

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for
from flask_babel import force_locale

from screening.accounts.auth import log_out, requires
from screening.audio import recordings
from screening.cases import handover, records
from screening.db.connection import get_db
from screening.forms.handover import GiveBackForm, HandOverForm
from screening.i18n.languages import interface_locale
from screening.i18n.lazy import lazy_gettext as _l
from screening.i18n.person import msgid
from screening.instrument.bank import EXCLUSIVE
from screening.protection.audit import Actor
from screening.views import requested
from screening.views.steps import State

bp = Blueprint("handover", __name__)
TURN_COOKIE = "turn"

# Where a handed-over session may go: its own pages, the recordings, and what every page loads.
OPEN_DURING_HANDOVER = {"handover.turn", "handover.give_back", "audio.clip", "static", "worker.script"}
# What the officer reads on the give-back page, in the officer's language.
OFFICER_TEXTS = {
    "title": _l("Take the phone back"),
    "wrong": _l("Wrong code. %(left)d tries left before the case locks."),
    "button": _l("Take the phone back"),
    "label": _l("Your code, or your password"),
    "empty": _l("Enter the code you chose, or your password"),
}


def guard():
    """Refuse every address but the hand-over's own to a handed-over session; speak the person's language."""
    if not g.get("handover"):
        return None
    screening = records.find(get_db(), g.handover["reference"])
    g.handover_lang = screening["interview_lang"] if screening else None
    if request.endpoint in OPEN_DURING_HANDOVER and screening is not None:
        return None
    return render_template("handover/refused.html"), 403


def _officer_text(name, **values):
    with force_locale(interface_locale()):
        return str(OFFICER_TEXTS[name]) % values if values else str(OFFICER_TEXTS[name])


@bp.route("/s/<reference>/hand-over", methods=["GET", "POST"])
@requires("screen")
def start(reference):
    """The officer chooses a code, then hands the phone over for the person's own questions."""
    screening = requested.case(reference)
    if screening["status"] != records.DRAFT or screening["consent"] != "yes":
        return redirect(url_for("cases.case", reference=reference))
    left = handover.questions_left(get_db(), screening)
    form = HandOverForm()
    if left and form.validate_on_submit():
        handover.start(get_db(), Actor.web(), g.session_row["id"], screening, form.code.data)
        # A changed cookie: browsers do not bring back, from their back-forward cache, a no-store page
        # shown before it (the officer's own page, when the person taps Back).
        session[TURN_COOKIE] = secrets.token_hex(8)
        return redirect(url_for("handover.turn"), 303)
    return render_template(
        "handover/start.html",
        screening=screening,
        form=form,
        left=len(left),
        back=State(screening).resume_url(),
        code_min=handover.CODE_MIN,
        code_max=handover.CODE_MAX,
        tries=handover.ATTEMPTS,
    )


def _values_sent(question):
    alternative = request.form.get("alternative", "")
    if alternative:
        return [alternative] if question.kind == "multi" else alternative
    if question.kind == "multi":
        return [v for v in request.form.getlist("answer") if v not in EXCLUSIVE] or None
    return request.form.get("answer") or None


@bp.route("/turn", methods=["GET", "POST"])
def turn():
    """One of the person's questions, alone on the page; the answer is saved before the next is shown."""
    if not g.get("handover"):
        abort(404)
    db = get_db()
    screening = records.find(db, g.handover["reference"])
    left = handover.questions_left(db, screening) if screening["status"] == records.DRAFT else []
    if not left:
        return render_template("handover/turn.html", question=None)
    question, error = left[0], False
    if request.method == "POST":
        if request.form.get("question") != question.id:
            return redirect(url_for("handover.turn"), 303)  # sent twice, or from an old page: show the current one
        value = _values_sent(question)
        if value is not None and handover.answer(
            db, Actor.web(), g.session_row["id"], g.handover, screening, question, value
        ):
            return redirect(url_for("handover.turn"), 303)
        error = True
    lang = screening["interview_lang"]
    texts = [question.text, question.hint, *(c.text for c in question.choices)]
    clips = recordings.playable(db, lang, [msgid(t) for t in texts if t is not None])
    html = render_template(
        "handover/turn.html",
        question=question,
        clips={m: url_for("audio.clip", name=recordings.url_name(row)) for m, row in clips.items()},
        error=error,
        msgid=msgid,
    )
    return html, 400 if error else 200


@bp.route("/turn/back", methods=["GET", "POST"])
def give_back():
    """The officer's code (or password) takes the phone back; too many wrong ones lock the case."""
    if not g.get("handover"):
        abort(404)
    db = get_db()
    form = GiveBackForm()
    wrong = None
    if form.validate_on_submit():
        account = handover.account_of(db, g.session_row)
        actor = Actor.web()
        outcome = handover.give_back(db, actor, g.session_row["id"], g.handover, form.code.data, account)
        if outcome == handover.BACK:
            session.pop(TURN_COOKIE, None)
            screening = records.find(db, g.handover["reference"])
            if screening["status"] == records.DRAFT:
                return redirect(State(screening).resume_url(), 303)
            return redirect(url_for("cases.case", reference=screening["reference"]), 303)
        if outcome == handover.LOCKED:
            log_out(db)
            with force_locale(interface_locale()):
                return render_template("handover/locked.html"), 403
        wrong = _officer_text("wrong", left=handover.tries_left(g.handover))
    elif request.method == "POST":
        wrong = _officer_text("empty")
    return render_template(
        "handover/back.html",
        form=form,
        wrong=wrong,
        officer={name: _officer_text(name) for name in ("title", "button", "label")},
        officer_lang=interface_locale(),
    ), 400 if wrong else 200
