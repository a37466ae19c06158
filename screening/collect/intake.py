"""Submissions made into screenings: checked against the bank, scored by the same rule, stored, audited, once.

Every submission of an import is checked before any is stored; one that does
not fit (another form or bank version, an answer the bank does not offer, no
post) stops the whole import with messages naming its file and row, and nothing
is stored. A submission already imported (its instanceID) is left as it is and
reported. A case belongs to the account named in the submission's officer field
when that account is active and of the importer's organisation, otherwise to the
importer; the form version, the tool and the importer are recorded and audited.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from screening.accounts import store
from screening.cases import records
from screening.collect.formats import SubmissionError
from screening.db.connection import now, write_transaction
from screening.db.references import new_reference
from screening.desk import facts
from screening.i18n.languages import INTERVIEW_NAMES, SOURCE_LOCALE
from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument import questionnaire
from screening.instrument.bank import ALTERNATIVES
from screening.instrument.logic import evidence_for, is_valid_answer, walk
from screening.instrument.scoring import assess
from screening.protection import audit

OTHER_FORM = _l("a submission of another form")
OTHER_VERSION = _l("made with another version of the questions: export the form again and collect with it")
NOT_OFFERED = _l("an answer the questions do not offer")
NO_POST = _l("no post or location recorded")
AGE_OTHER = "age_other"
BANK_VERSION = "bank_version"
INTERPRETERS = ("none", "independent", "linked")


class Unfit(ValueError):
    """A submission that does not fit this installation's questions: why, and the detail as found."""

    def __init__(self, reason, detail=""):
        super().__init__(reason, detail)
        self.reason, self.detail = reason, detail


@dataclass
class Report:
    """What an import did: new cases' references, submissions already there, and errors as SubmissionError."""

    imported: list = field(default_factory=list)
    already: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    reassigned: list = field(default_factory=list)


@dataclass
class _Case:
    submission: object
    consent: bool
    answers: dict
    post: str
    lang: str
    interpreter: str
    started: str
    ended: str


def _answer(question, raw):
    """Return the stored value a raw field stands for, or raise ValueError."""
    if question.kind == "multi":
        return raw.split()
    if question.kind == "number":
        if raw in ALTERNATIVES:
            return raw
        return int(raw)
    return raw


def _stamp(raw, fallback):
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return fallback
    if moment.tzinfo is None:
        return fallback
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def check(submission):
    """Return the case a submission stands for, or raise Unfit saying what does not fit."""
    values = submission.values
    form_id = questionnaire.SETTINGS["form_id"]
    if submission.form_id and submission.form_id != form_id:
        raise Unfit(OTHER_FORM, submission.form_id)
    version = values.get(BANK_VERSION) or submission.version
    if version != questionnaire.VERSION:
        raise Unfit(OTHER_VERSION, f"{version or '?'} ≠ {questionnaire.VERSION}")
    consent = values.get("consent") == "yes"
    answers = {}
    if values.get(AGE_OTHER) in ALTERNATIVES and not values.get("age"):
        values = {**values, "age": values[AGE_OTHER]}
    for question in questionnaire.QUESTIONS if consent else ():
        raw = values.get(question.id, "")
        if not raw:
            continue
        try:
            value = _answer(question, raw)
        except ValueError:
            value = raw
        if not is_valid_answer(question, value):
            raise Unfit(NOT_OFFERED, f"{question.id}: {raw[:40]}")
        answers[question.id] = value
    post = values.get("post", "").strip()
    if not post:
        raise Unfit(NO_POST)
    lang = values.get("interview_lang") if values.get("interview_lang") in INTERVIEW_NAMES else SOURCE_LOCALE
    interpreter = values.get("interpreter") if values.get("interpreter") in INTERPRETERS else "none"
    stamp = now()
    started = _stamp(values.get("start"), stamp)
    return _Case(
        submission, consent, answers, post[:200], lang, interpreter, started, _stamp(values.get("end"), started)
    )


def _owner(db, actor, name):
    """Return (owner's account, whether it is the named one): the named account of the importer's organisation."""
    importer = store.get(db, actor.id)
    named = store.by_username(db, name, active_only=True) if name else None
    if named and (named["organisation"] or "") == (importer["organisation"] or ""):
        return named, True
    return importer, False


def _store(db, actor, case):
    """Store one checked case with its answers, facts and audit entry; return its reference."""
    owner, named = _owner(db, actor, case.submission.values.get("officer", "").strip())
    _visible, effective = walk(questionnaire.QUESTIONS, case.answers)
    evidence = evidence_for(questionnaire.QUESTIONS, case.answers)
    result = assess(evidence)
    status = records.COMPLETED if case.consent else records.REFUSED
    row = {
        "reference": new_reference(),
        "officer_id": owner["id"],
        "organisation": owner["organisation"] or "",
        "post": case.post,
        "interview_lang": case.lang,
        "interpreter": case.interpreter,
        "consent": "yes" if case.consent else "no",
        "status": status,
        "bank_version": questionnaire.VERSION,
        "created_at": case.started,
        "updated_at": now(),
        "ended_at": case.ended,
        "demo": 0,
    }
    if case.consent:
        row |= records.scored_columns(evidence, result)
    screening_id = db["screenings"].insert(row).last_pk
    for qid, value in effective.items():
        stored, free_text = records.stored_answer(qid, value)
        db["answers"].insert(
            {
                "screening_id": screening_id,
                "question_id": qid,
                "value": stored,
                "free_text": int(free_text),
                "answered_at": case.ended,
            }
        )
    if case.consent:
        facts.record(db, {**row, "id": screening_id}, effective, evidence, result)
    db["collected_submissions"].insert(
        {
            "instance_id": case.submission.instance_id,
            "screening_id": screening_id,
            "tool": case.submission.tool,
            "form_version": questionnaire.VERSION,
            "imported_by": actor.id,
            "imported_at": now(),
        }
    )
    detail = {"tool": case.submission.tool, "version": questionnaire.VERSION, "owner": owner["username"]}
    audit.record(db, "case_import", actor, reference=row["reference"], detail=detail)
    return row["reference"], named


def import_submissions(db, actor, submissions):
    """Import every submission or none; return a Report."""
    report, cases, seen = Report(), [], set()
    for submission in submissions:
        if submission.instance_id in seen:
            continue
        seen.add(submission.instance_id)
        known = db.execute(
            "select 1 from collected_submissions where instance_id = ?", [submission.instance_id]
        ).fetchone()
        if known:
            report.already.append(submission.source)
            continue
        try:
            cases.append(check(submission))
        except Unfit as exc:
            report.errors.append(SubmissionError(submission.source, exc.reason, exc.detail))
    if report.errors:
        return report
    with write_transaction(db):
        for case in cases:
            reference, named = _store(db, actor, case)
            report.imported.append(reference)
            if not named and case.submission.values.get("officer"):
                report.reassigned.append(case.submission.source)
    return report
