"""The phone handed over to the person: their own questions, answered privately, and given back with a code.

During an interview the officer may hand the phone to the person for the
questions put to the person (never the officer's observations). The session
then belongs to the hand-over (``sessions.handover``): it reaches only the
person's questions, one at a time, and the give-back page; every other address
of the app refuses (views/handover.py). The person's answers are stored as if
the officer had recorded them, marked ``by_person``. The phone goes back to the
officer with the short code they chose at hand-over, or their password. After
``ATTEMPTS`` wrong tries the hand-over ends, every session of the officer ends,
and the case is locked until the officer logs in again (the login page unlocks it).
"""

import hashlib
import hmac
import json
import re
import secrets

from screening.accounts import sessions, store, throttle
from screening.cases import records
from screening.db.connection import now, write_transaction
from screening.instrument import questionnaire
from screening.instrument.bank import INTERVIEW, PERSON
from screening.instrument.logic import is_valid_answer, pages, walk
from screening.protection import audit

ATTEMPTS = 5
CODE_MIN, CODE_MAX = 4, 8
KINDS = ("yesno", "single", "multi")
# Right, wrong (tries left), or locked: the outcomes of a try at the give-back page.
BACK, WRONG, LOCKED = "back", "wrong", "locked"
_ITERATIONS = 100_000
CODE_SHAPE = re.compile(rf"[0-9]{{{CODE_MIN},{CODE_MAX}}}")


def _digest(code, salt):
    return hashlib.pbkdf2_hmac("sha256", code.encode(), bytes.fromhex(salt), _ITERATIONS).hex()


def asked_alone(question):
    """Return whether the person may answer this question alone: theirs, with buttons to tap."""
    return question.audience == PERSON and question.kind in KINDS and question.appearance != "list"


def questions_left(db, screening):
    """Return the person's questions still to answer, in the interview's order, as the answers so far decide."""
    visible, effective = walk(questionnaire.QUESTIONS, records.answers(db, screening["id"]))
    interview = pages(visible, questionnaire.SECTIONS, INTERVIEW)
    return [q for page in interview.values() for q in page if asked_alone(q) and q.id not in effective]


def is_code(text):
    """Return whether ``text`` has the shape of a hand-over code (passwords are longer: passwords.MIN_LENGTH)."""
    return bool(CODE_SHAPE.fullmatch(text or ""))


def start(db, actor, session_id, screening, code):
    """Hand the phone over: the session now serves only the person's questions of this case."""
    salt = secrets.token_hex(16)
    state = {"reference": screening["reference"], "salt": salt, "hash": _digest(code, salt), "wrong": 0, "answered": 0}
    with write_transaction(db):
        db.execute("update sessions set handover = ? where id = ?", [json.dumps(state), session_id])
        audit.record(db, "handover", actor, reference=screening["reference"])


def answer(db, actor, session_id, state, screening, question, value):
    """Store the person's answer to ``question``, marked as given alone; return whether it was valid."""
    if not asked_alone(question) or not is_valid_answer(question, value):
        return False
    records.save_answers(db, actor, screening, question.page_id, {question.id: value}, by_person=True)
    state["answered"] += 1
    db.execute("update sessions set handover = ? where id = ?", [json.dumps(state), session_id])
    return True


def give_back(db, actor, session_id, state, code, account):
    """Check the code (or the officer's password) and end the hand-over; return BACK, WRONG or LOCKED."""
    if is_code(code):
        right = hmac.compare_digest(_digest(code, state["salt"]), state["hash"])
    else:
        # The officer's password does as well (it is longer than any code), through the one path that
        # checks passwords: a wrong one counts towards locking the account, as at login.
        user, _outcome = throttle.check(db, actor, account["username"], code, purpose="handover")
        right = user is not None
    with write_transaction(db):
        if right:
            db.execute("update sessions set handover = null where id = ?", [session_id])
            audit.record(
                db, "handover_back", actor, reference=state["reference"], detail={"answered": state["answered"]}
            )
            return BACK
        state["wrong"] += 1
        if state["wrong"] < ATTEMPTS:
            db.execute("update sessions set handover = ? where id = ?", [json.dumps(state), session_id])
            return WRONG
        db.execute("update screenings set locked_at = ? where reference = ?", [now(), state["reference"]])
        sessions.end_others(db, account["id"])
        audit.record(db, "handover_locked", actor, reference=state["reference"], detail={"tries": state["wrong"]})
    return LOCKED


def tries_left(state):
    """Return how many wrong codes remain before the case locks."""
    return ATTEMPTS - state["wrong"]


def is_locked(screening):
    """Return whether wrong codes at a hand-over locked this case (until its officer logs in again)."""
    return bool(screening and screening.get("locked_at"))


def unlock_for(db, actor, user_id):
    """Unlock the cases of an officer who just logged in: a login is what a lock waits for."""
    sql = "select reference from screenings where officer_id = ? and locked_at is not null"
    with write_transaction(db):
        for row in list(db.query(sql, [user_id])):
            db.execute("update screenings set locked_at = null where reference = ?", [row["reference"]])
            audit.record(db, "unlock_case", actor, reference=row["reference"])


def account_of(db, session_row):
    """Return the officer's account behind a handed-over session."""
    return store.get(db, session_row["user_id"], active_only=True)
