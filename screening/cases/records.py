"""Screenings as stored records: creating, finding (with the access check), answering, ending.

Every function takes the database explicitly so that the web views, the command
line and the demo seeder share one implementation. Answers store question ids
and choice values, never rendered text, with the bank version they were given on.
Answers in free text and the evidence document (which copies the officer's
concern) are stored encrypted (crypto.py); the functions here return them readable.
"""

import json
import sqlite3

from screening.db.connection import dumps, new_reference, now, write_transaction
from screening.desk import statistics as stats
from screening.instrument import questionnaire
from screening.instrument.logic import evidence_for
from screening.instrument.scoring import assess
from screening.protection import crypto

DRAFT, COMPLETED, REFUSED, STOPPED = "draft", "completed", "refused", "stopped"
STATUSES = (DRAFT, COMPLETED, REFUSED, STOPPED)
ROLES = ("officer", "supervisor", "admin")
SEES_ALL = ("supervisor", "admin")
REFERENCE_ATTEMPTS = 5


def create(db, officer_id, post, interview_lang, interpreter, demo=False):
    """Create a draft screening and return its row."""
    stamp = now()
    for _attempt in range(REFERENCE_ATTEMPTS):
        row = {
            "reference": new_reference(),
            "officer_id": officer_id,
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
            db["screenings"].insert(row)
        except sqlite3.IntegrityError:
            continue  # a reference collision: astronomically rare, so simply draw again
        return find(db, row["reference"])
    raise RuntimeError("could not draw an unused case reference")


def find(db, reference):
    """Return the screening with this reference (evidence decrypted), without any access check (internal use)."""
    rows = list(db.query("select * from screenings where reference = ?", [reference]))
    if not rows:
        return None
    return {**rows[0], "evidence": crypto.decrypt(rows[0]["evidence"])}


def is_free_text(question_id):
    """Return whether answers to this question are the officer's own words (stored encrypted)."""
    question = questionnaire.BY_ID.get(question_id)
    return question is not None and question.kind in crypto.FREE_TEXT_KINDS


def stored_answer(question_id, value):
    """Return an answer as stored: JSON, encrypted when it is free text."""
    text = dumps(value)
    return crypto.encrypt(text) if is_free_text(question_id) else text


def stored_evidence(evidence):
    """Return an evidence document as stored: encrypted JSON."""
    return crypto.encrypt(dumps(evidence))


def can_see(user, screening, db):
    """Return whether this account may see this screening.

    An officer sees their own; a supervisor or an administrator sees those of
    every officer of the same organisation, and no other.
    """
    if screening["officer_id"] == user["id"]:
        return True
    if user["role"] not in SEES_ALL:
        return False
    rows = list(db.query("select organisation from users where id = ?", [screening["officer_id"]]))
    return bool(rows) and (rows[0]["organisation"] or "") == (user.get("organisation") or "")


def get_for(db, reference, user):
    """Return the screening if it exists and ``user`` may see it, else None (shown as a 404)."""
    screening = find(db, reference) if reference else None
    if screening is None or not can_see(user, screening, db):
        return None
    return screening


def list_for(db, user, limit=200):
    """Return the screenings this account may see: drafts first, then the newest."""
    sql = (
        "select s.reference, s.created_at, s.updated_at, s.status, s.outcome, s.urgent, s.child, s.post "
        "from screenings s join users o on o.id = s.officer_id "
        "where s.officer_id = :officer or (:all and coalesce(o.organisation, '') = :organisation) "
        "order by s.status = 'draft' desc, s.updated_at desc, s.id desc limit :limit"
    )
    params = {
        "all": user["role"] in SEES_ALL,
        "officer": user["id"],
        "organisation": user.get("organisation") or "",
        "limit": limit,
    }
    return list(db.query(sql, params))


def answers(db, screening_id):
    """Return the stored answers of a screening as question id -> value."""
    rows = db.query("select question_id, value from answers where screening_id = ?", [screening_id])
    return {row["question_id"]: json.loads(_readable(row["question_id"], row["value"])) for row in rows}


def _readable(question_id, stored):
    return crypto.decrypt(stored) if is_free_text(question_id) else stored


def save_answers(db, screening, values):
    """Store a page of answers and touch the screening, in one transaction."""
    stamp = now()
    with write_transaction(db):
        for question_id, value in values.items():
            db.execute(
                "insert into answers (screening_id, question_id, value, answered_at) values (?, ?, ?, ?) "
                "on conflict (screening_id, question_id) do update set value = excluded.value, "
                "answered_at = excluded.answered_at",
                [screening["id"], question_id, stored_answer(question_id, value), stamp],
            )
        db.execute(
            "update screenings set updated_at = ?, bank_version = ? where id = ?",
            [stamp, questionnaire.VERSION, screening["id"]],
        )


def record_consent(db, screening, agreed):
    """Record the person's answer to the consent script; a refusal ends the screening."""
    stamp = now()
    status, ended = (DRAFT, None) if agreed else (REFUSED, stamp)
    db.execute(
        "update screenings set consent = ?, status = ?, ended_at = ?, updated_at = ? where id = ?",
        ["yes" if agreed else "no", status, ended, stamp, screening["id"]],
    )


def assessment_of(db, screening):
    """Return (evidence, assessment) for the screening's current answers."""
    evidence = evidence_for(questionnaire.QUESTIONS, answers(db, screening["id"]))
    return evidence, assess(evidence)


def end(db, screening, status, stop_reason=None):
    """Score the answers given so far and end the screening as completed or stopped.

    A completed screening also leaves its de-identified facts for the statistics, in the
    same transaction as its new status.
    """
    with write_transaction(db):
        evidence, result = assessment_of(db, screening)
        stamp = now()
        if status == COMPLETED:
            officer = next(db.query("select organisation from users where id = ?", [screening["officer_id"]]))
            given = answers(db, screening["id"])
            stats.record_facts(db, screening, given, evidence, result, officer["organisation"])
        db.execute(
            "update screenings set status = ?, stop_reason = ?, ended_at = ?, updated_at = ?, evidence = ?, "
            "assessment = ?, outcome = ?, rule = ?, urgent = ?, child = ? where id = ?",
            [
                status,
                stop_reason,
                stamp,
                stamp,
                stored_evidence(evidence),
                dumps(result),
                result["outcome"],
                result["rule"],
                int(result["urgent"]),
                int(result["child"]),
                screening["id"],
            ],
        )
    return result


def reopen(db, screening):
    """Turn a stopped screening back into a draft so the interview can go on."""
    db.execute(
        "update screenings set status = ?, ended_at = null, updated_at = ? where id = ? and status = ?",
        [DRAFT, now(), screening["id"], STOPPED],
    )


def last_post(db, officer_id):
    """Return the post this officer recorded most recently, to prefill the next screening."""
    rows = list(
        db.query(
            "select post from screenings where officer_id = ? and post is not null order by id desc limit 1",
            [officer_id],
        )
    )
    return rows[0]["post"] if rows else ""
