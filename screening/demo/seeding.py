"""Seeding clearly fake, completed screenings with referrals in every state, marked ``demo``, for trying the app.

The cases are made as the demo officer (an account created the first time,
with no organisation), scored by the real rule, and referred through the real
consent rules to the example directory; one audit entry records the seeding.
"""

import json
import random
import secrets
from datetime import UTC, datetime, timedelta

from screening.accounts import store
from screening.cases import records
from screening.config import PACKAGE_DIR
from screening.db.connection import write_transaction
from screening.db.references import new_reference
from screening.demo.people import PROFILES, answers_for
from screening.desk import facts
from screening.i18n.languages import supported
from screening.instrument import questionnaire
from screening.instrument.logic import evidence_of
from screening.instrument.scoring import assess
from screening.protection import audit
from screening.protection.audit import Actor
from screening.referral import directory, followup, person, referrals
from screening.referral.directory_csv import import_rows, read_csv

DEMO_OFFICER = "demo.officer"
EXAMPLE_DIRECTORY = PACKAGE_DIR / "examples" / "directory-example.csv"
# Most demo people agree to a referral; the rest show the exceptions to consent.
CONSENT_SHARE = 0.85
# Demo referrals end in every state of their follow-up (some stay "sent", some overdue).
FOLLOW_UP_PATHS = (
    (),
    ("received",),
    ("received", "accepted"),
    ("accepted", "closed"),
    ("received", "declined"),
    ("declined", "closed"),
)
DAYS_BACK = 365
POSTS = (
    "Demo: Poipet border checkpoint",
    "Demo: Mae Sot immigration",
    "Demo: Suvarnabhumi airport",
    "Demo: Soekarno-Hatta airport",
    "Demo: Bavet crossing",
    "Demo: Manila NAIA terminal 1",
    "Demo: Labour inspection, Samut Sakhon",
)


def _officer(db, actor):
    """Return the demo officer's account, created (by ``actor``) the first time."""
    found = store.by_username(db, DEMO_OFFICER, active_only=False)
    if found:
        return found
    password = secrets.token_urlsafe(16)
    user_id = store.create(db, actor, username=DEMO_OFFICER, password=password, role="officer", must_change=True)
    return store.get(db, user_id)


def seed(db, count, seed_value=None, *, actor):
    """Create ``count`` completed demo screenings, made by the demo officer for ``actor``; return their references."""
    rng = random.Random(seed_value)  # noqa: S311 - fake data, not security
    officer_row = _officer(db, actor)
    officer, organisation = officer_row["id"], officer_row["organisation"] or ""
    end = datetime.now(UTC).replace(microsecond=0)
    references = []
    with write_transaction(db):
        for _ in range(count):
            answers = answers_for(rng.choice(list(PROFILES)), rng)
            evidence = evidence_of(questionnaire.QUESTIONS, answers)
            result = assess(evidence)
            when = end - timedelta(seconds=rng.randint(0, DAYS_BACK * 86400))
            stamp = when.isoformat()
            reference = new_reference()
            post = rng.choice(POSTS)
            screening_id = (
                db["screenings"]
                .insert(
                    {
                        "reference": reference,
                        "officer_id": officer,
                        "organisation": organisation,
                        "post": post,
                        "interview_lang": rng.choice(supported()),
                        "interpreter": rng.choice(["none", "independent"]),
                        "consent": "yes",
                        "status": records.COMPLETED,
                        "bank_version": questionnaire.VERSION,
                        "created_at": stamp,
                        "updated_at": stamp,
                        "ended_at": stamp,
                        **records.scored_columns(evidence, result),
                        "demo": 1,
                    }
                )
                .last_pk
            )
            db["answers"].insert_all(
                {
                    "screening_id": screening_id,
                    "question_id": qid,
                    "value": records.stored_answer(qid, value)[0],
                    "free_text": int(records.stored_answer(qid, value)[1]),
                    "answered_at": stamp,
                }
                for qid, value in answers.items()
            )
            screening = {
                "id": screening_id,
                "created_at": stamp,
                "officer_id": officer,
                "organisation": organisation,
                "post": post,
            }
            facts.record(db, screening, answers, evidence, result)
            references.append(reference)
        _seed_referrals(db, rng, Actor.of(officer_row), references)
        # The demo rewrites referral times after the fact: count everything again from the records.
        facts.recount(db)
        audit.record(db, "demo_seed", actor, detail={"cases": count})
    return references


def _seed_directory(db, actor):
    """Fill an empty directory with the example organisations; return the active ones."""
    if not directory.active_organisations(db):
        rows, errors = read_csv(EXAMPLE_DIRECTORY.read_bytes())
        if errors:
            raise RuntimeError("; ".join(errors))
        import_rows(db, actor, rows)
    return directory.active_organisations(db)


def _seed_referrals(db, rng, officer, references):
    """Refer each demo case to an organisation its result suggests, with a consent record."""
    organisations = _seed_directory(db, officer)
    by_kind = {}
    for org in organisations:
        by_kind.setdefault(org["kind"], org)
    for reference in references:
        screening = records.find(db, reference)
        assessment = json.loads(screening["assessment"])
        wanted = [by_kind[k] for k in directory.suggested_kinds(assessment) if k in by_kind]
        if not wanted:
            continue
        organisation = wanted[0]
        consented = rng.random() < CONSENT_SHARE
        name = f"Demo Person {reference[:4]}"
        person.save(db, officer, screening, name=name, contact="+00 000 000 000", date_of_birth="")
        try:
            referral_id = referrals.create(
                db,
                officer,
                screening,
                organisation,
                consented=consented,
                items=rng.sample(list(referrals.ITEMS), rng.randint(1, len(referrals.ITEMS))) if consented else [],
                priority=referrals.default_priority(assessment),
                services=assessment["other_needs"],
                reason=None if consented else "Demo: the person was too frightened to decide; urgent danger.",
            )
        except referrals.ReferralRefused:
            continue  # an adult who did not consent and is not urgent: no referral, as the rules say
        _follow_up(db, rng, officer, screening, referral_id)


def _follow_up(db, rng, officer, screening, referral_id):
    """Take a demo referral through a random path of its follow-up, at plausible times after it was made."""
    db.execute("update referrals set created_at = ? where id = ?", [screening["ended_at"], referral_id])
    moment = datetime.fromisoformat(screening["ended_at"])
    path = rng.choice(FOLLOW_UP_PATHS)
    for status in path:
        moment += timedelta(hours=rng.randint(2, 96))
        referral = referrals.get(db, screening["id"], referral_id)
        reason = "Demo: no place free." if status == "declined" else None
        followup.advance(db, officer, screening, referral, status, reason=reason)
        stamp = moment.isoformat()
        db.execute("update referral_events set at = ? where id = (select max(id) from referral_events)", [stamp])
        if status in followup.ACKNOWLEDGING:
            db.execute(
                "update referrals set acknowledged_at = min(acknowledged_at, ?) where id = ?", [stamp, referral_id]
            )


def real_case_count(db):
    """Return how many screenings in the database are not demo data."""
    return next(db.query("select count(*) as n from screenings where demo = 0"))["n"]
