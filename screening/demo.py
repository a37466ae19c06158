"""Clearly fake screenings for trying the app, for tests and for benchmarks.

Each demo case starts from one of a few profiles of the situations officers meet
(a man released from a scam compound, a domestic worker, a child in a karaoke
bar, a young woman at an airport...), varied at random, then answered through the
real question bank and scored by the real rule. Every demo row is marked ``demo``.
"""

import json
import random
import secrets
from datetime import UTC, datetime, timedelta

from screening.accounts import store
from screening.cases import records
from screening.config import PACKAGE_DIR
from screening.db.connection import dumps, write_transaction
from screening.db.references import new_reference
from screening.desk import facts
from screening.i18n.languages import supported
from screening.instrument import questionnaire
from screening.instrument.bank import NONE
from screening.instrument.logic import evidence_of, walk
from screening.instrument.scoring import assess
from screening.protection import audit, crypto
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
URGENT_SHARE = 0.08
POSTS = (
    "Demo: Poipet border checkpoint",
    "Demo: Mae Sot immigration",
    "Demo: Suvarnabhumi airport",
    "Demo: Soekarno-Hatta airport",
    "Demo: Bavet crossing",
    "Demo: Manila NAIA terminal 1",
    "Demo: Labour inspection, Samut Sakhon",
)
PROFILES = {
    "scam_compound": {
        "stage": "after_exit",
        "act": "yes",
        "channel": ["facebook", "telegram"],
        "deceived": ["job_nature", "wages"],
        "vulnerability": ["economic"],
        "forms": ["forced_criminality"],
        "conditions": ["excessive_hours", "low_or_no_pay"],
        "coercion": ["documents_confiscated", "confinement", "violence", "forced_crime"],
        "pressure": ["threat_worse", "family_harm"],
        "kept_there": ["unknown_area"],
        "age": (19, 40),
    },
    "domestic_worker": {
        "stage": "at_destination",
        "act": "yes",
        "channel": ["agent"],
        "deceived": ["conditions", "wages", "contract"],
        "forms": ["domestic_servitude"],
        "conditions": ["excessive_hours", "low_or_no_pay", "bad_living"],
        "coercion": ["documents_confiscated"],
        "kept_there": ["dependency", "unknown_area", "legal_status"],
        "sex": "female",
        "age": (20, 45),
    },
    "child_karaoke": {
        "stage": "at_destination",
        "act": "yes",
        "channel": ["known_person"],
        "forms": ["sexual"],
        "sex": "female",
        "age": (14, 17),
    },
    "airport_call_centre": {
        "stage": "before_departure",
        "act": "yes",
        "channel": ["facebook"],
        "deceived": ["job_nature", "legal_status"],
        "vulnerability": ["economic", "lack_information"],
        "forms": ["other"],
        "sex": "female",
        "age": (18, 28),
    },
    "smuggled_migrant": {
        "stage": "in_transit",
        "act": "no",
        "channel": [NONE],
        "paid_crossing": "yes",
        "documents": "no",
        "age": (20, 50),
    },
    "labour_only": {
        "stage": "at_destination",
        "act": "yes",
        "channel": ["job_site"],
        "forms": ["labour"],
        "conditions": ["excessive_hours", "low_or_no_pay"],
        "age": (22, 55),
    },
    "officer_concern": {
        "stage": "in_transit",
        "act": "unknown",
        "channel": ["declined"],
        "officer_concern": "yes",
        "officer_concern_reason": "Demo: the papers do not match the story.",
        "age": (18, 30),
    },
    "much_declined": {
        "stage": "at_destination",
        "act": "yes",
        "channel": ["whatsapp"],
        "conditions": ["excessive_hours"],
        "coercion": ["declined"],
        "pressure": ["declined"],
        "age": (25, 50),
    },
}
DEFAULTS = {"documents": "yes", "safe_place": "yes", "accompanied": "yes", "possibly_minor": "no"}


def _default(question, rng):
    if question.id in DEFAULTS:
        return DEFAULTS[question.id]
    if question.kind == "multi":
        return [NONE]
    if question.kind == "yesno":
        return "no"
    if question.kind == "single":
        return rng.choice([v for v in question.values if v not in ("unknown", "declined")])
    if question.kind == "number":
        return rng.randint(18, 60)
    return "Demo text."


def answers_for(profile, rng):
    """Return a complete set of answers for one demo person of ``profile``."""
    template = PROFILES[profile]
    answers = {k: v for k, v in template.items() if k != "age"}
    answers["age"] = rng.randint(*template["age"])
    if profile != "child_karaoke" and rng.random() < URGENT_SHARE:
        answers[rng.choice(["danger_now", "medical_now", "controller_nearby"])] = "yes"
    while True:
        visible, effective = walk(questionnaire.QUESTIONS, answers)
        missing = [q for q in visible if q.id not in effective]
        if not missing:
            return effective
        # Answering may show further questions (a child's), hence the next pass.
        for question in missing:
            answers[question.id] = _default(question, rng)


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
                        "evidence": crypto.encrypt(dumps(evidence)),
                        "assessment": dumps(result),
                        "outcome": result["outcome"],
                        "rule": result["rule"],
                        "urgent": int(result["urgent"]),
                        "child": int(result["child"]),
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
