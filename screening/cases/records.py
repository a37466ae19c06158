"""Screenings as stored records: opening one, its answers, consent, ending and reopening it.

Every function takes the database explicitly so that the web views, the command
line and the demo seeder share one implementation; every change takes the
``Actor`` who makes it and records its audit entry in the same transaction.
Answers store question ids and choice values, never rendered text, with the
bank version they were given on. Answers in words and the evidence document
(which copies the officer's concern) are stored encrypted; the functions here
return them readable. A case belongs for good to its officer's organisation at
the time it is opened (access.py).
"""

import json
import sqlite3

from screening.access import case_scope
from screening.accounts import store
from screening.db.connection import dumps, now, write_transaction
from screening.db.references import new_reference
from screening.desk import facts
from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument import questionnaire
from screening.instrument.logic import evidence_for
from screening.instrument.scoring import assess
from screening.protection import audit, crypto

DRAFT, COMPLETED, REFUSED, STOPPED = "draft", "completed", "refused", "stopped"
STATUSES = {
    DRAFT: _l("Not finished"),
    COMPLETED: _l("Completed"),
    REFUSED: _l("Refused"),
    STOPPED: _l("Stopped"),
}
REFERENCE_ATTEMPTS = 5
LIST_LIMIT = 200


def create(db, actor, post, interview_lang, interpreter, demo=False):
    """Open a draft screening in the acting officer's organisation and return its row."""
    stamp = now()
    organisation = store.organisation_of_account(db, actor.id)
    for _attempt in range(REFERENCE_ATTEMPTS):
        row = {
            "reference": new_reference(),
            "officer_id": actor.id,
            "organisation": organisation,
            "post": post,
            "interview_lang": interview_lang,
            "interpreter": interpreter,
            "status": DRAFT,
            "bank_version": questionnaire.VERSION,
            "created_at": stamp,
            "updated_at": stamp,
            "demo": int(demo),
        }
        try:
            with write_transaction(db):
                db["screenings"].insert(row)
                audit.record(db, "case_create", actor, reference=row["reference"], detail={"lang": interview_lang})
        except sqlite3.IntegrityError:
            continue  # a reference collision: astronomically rare, so simply draw again
        return find(db, row["reference"])
    raise RuntimeError("could not draw an unused case reference")


def find(db, reference):
    """Return the screening with this reference (evidence decrypted), without any access check (internal use)."""
    row = next(db.query("select * from screenings where reference = ?", [reference]), None)
    if row is None:
        return None
    return {**row, "evidence": crypto.decrypt(row["evidence"])}


def stored_answer(question_id, value):
    """Return (stored text, whether it is free text) for an answer: JSON, encrypted when written in words."""
    question = questionnaire.BY_ID.get(question_id)
    free_text = question is not None and question.is_free_text
    text = dumps(value)
    return (crypto.encrypt(text) if free_text else text), free_text


def answers(db, screening_id):
    """Return the stored answers of a screening as question id -> value."""
    rows = db.query("select question_id, value, free_text from answers where screening_id = ?", [screening_id])
    return {
        row["question_id"]: json.loads(crypto.decrypt(row["value"]) if row["free_text"] else row["value"])
        for row in rows
    }


def answered_by_person(db, screening_id):
    """Return the ids of the questions the person answered alone, on the handed-over phone."""
    rows = db.query("select question_id from answers where screening_id = ? and by_person = 1", [screening_id])
    return {row["question_id"] for row in rows}


def save_answers(db, actor, screening, page_id, values, by_person=False):
    """Store a page of answers and touch the screening, in one transaction with its audit entry.

    ``by_person`` marks answers the person gave alone on the handed-over phone; an
    answer the officer records again is the officer's.
    """
    stamp = now()
    with write_transaction(db):
        for question_id, value in values.items():
            stored, free_text = stored_answer(question_id, value)
            db.execute(
                "insert into answers (screening_id, question_id, value, answered_at, free_text, by_person) "
                "values (?, ?, ?, ?, ?, ?) on conflict (screening_id, question_id) do update set "
                "value = excluded.value, answered_at = excluded.answered_at, free_text = excluded.free_text, "
                "by_person = excluded.by_person",
                [screening["id"], question_id, stored, stamp, int(free_text), int(by_person)],
            )
        db.execute(
            "update screenings set updated_at = ?, bank_version = ? where id = ?",
            [stamp, questionnaire.VERSION, screening["id"]],
        )
        action = "person_answers" if by_person else "edit_answers"
        audit.record(db, action, actor, reference=screening["reference"], detail={"page": page_id})


def record_consent(db, actor, screening, agreed):
    """Record the person's answer to the consent script; a refusal ends the screening."""
    stamp = now()
    status, ended = (DRAFT, None) if agreed else (REFUSED, stamp)
    with write_transaction(db):
        db.execute(
            "update screenings set consent = ?, status = ?, ended_at = ?, updated_at = ? where id = ?",
            ["yes" if agreed else "no", status, ended, stamp, screening["id"]],
        )
        audit.record(db, "consent", actor, reference=screening["reference"], detail={"agreed": agreed})


def scored_columns(evidence, assessment):
    """Return what a scored screening stores: the evidence (encrypted) and the assessment with its codes."""
    return {
        "evidence": crypto.encrypt(dumps(evidence)),
        "assessment": dumps(assessment),
        "outcome": assessment["outcome"],
        "rule": assessment["rule"],
        "urgent": int(assessment["urgent"]),
        "child": int(assessment["child"]),
    }


def assessment_of(db, screening):
    """Return (evidence, assessment) for the screening's current answers."""
    evidence = evidence_for(questionnaire.QUESTIONS, answers(db, screening["id"]))
    return evidence, assess(evidence)


def end(db, actor, screening, status, stop_reason=None):
    """Score the answers given so far and end the screening as completed or stopped; return the assessment.

    A completed screening also leaves its de-identified facts for the statistics; both, the
    new status and the audit entry commit together.
    """
    with write_transaction(db):
        evidence, result = assessment_of(db, screening)
        stamp = now()
        if status == COMPLETED:
            facts.record(db, screening, answers(db, screening["id"]), evidence, result)
        changes = {"status": status, "stop_reason": stop_reason, "ended_at": stamp, "updated_at": stamp}
        db["screenings"].update(screening["id"], changes | scored_columns(evidence, result))
        action, detail = ("complete", None) if status == COMPLETED else ("stop", {"why": stop_reason})
        audit.record(db, action, actor, reference=screening["reference"], detail=detail)
    return result


def reopen(db, actor, screening):
    """Turn a stopped screening back into a draft so the interview can go on; return whether it was stopped."""
    with write_transaction(db):
        cursor = db.execute(
            "update screenings set status = ?, ended_at = null, updated_at = ? where id = ? and status = ?",
            [DRAFT, now(), screening["id"], STOPPED],
        )
        if cursor.rowcount:
            audit.record(db, "reopen", actor, reference=screening["reference"])
    return bool(cursor.rowcount)


def listing(db, user, limit=LIST_LIMIT):
    """Return the cases ``user`` sees (access.case_scope): drafts first, then the newest."""
    scope, params = case_scope(user)
    sql = (
        "select s.reference, s.created_at, s.updated_at, s.status, s.outcome, s.urgent, s.child, s.post "  # noqa: S608
        f"from screenings s where {scope} "
        "order by s.status = 'draft' desc, s.updated_at desc, s.id desc limit :limit"
    )
    return list(db.query(sql, {**params, "limit": limit}))


def last_post(db, officer_id):
    """Return the post this officer recorded most recently, to prefill the next screening."""
    row = next(
        db.query(
            "select post from screenings where officer_id = ? and post is not null order by id desc limit 1",
            [officer_id],
        ),
        None,
    )
    return row["post"] if row else ""
