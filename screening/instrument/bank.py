"""The shape of a question bank, its validation and its JSON export.

A bank is data in the manner of XLSForm: each question has a stable id, separate
from its translatable text; choices have stable values; ``show_if`` is a small
JSON predicate on earlier answers; each choice names the fragment of the evidence
document it contributes. The bank in questionnaire.py is checked by
``validate_bank`` when it loads, with messages that name the faulty question.
"""

import hashlib
import json
from dataclasses import dataclass, field

from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument.indicators import INDICATORS
from screening.instrument.scoring import EVIDENCE_KEYS, EvidenceError, validate_evidence

KINDS = ("yesno", "single", "multi", "number", "text")
PERSON, OFFICER = "person", "officer"
# Answers every question the person hears may take (screening model §6).
UNKNOWN, DECLINED, NONE = "unknown", "declined", "none"
ALTERNATIVES = (UNKNOWN, DECLINED)
EXCLUSIVE = (NONE, UNKNOWN, DECLINED)
# Sections shown before the check-your-answers page; the rest come after it.
INTERVIEW, OBSERVATIONS = "interview", "observations"
# Bumped by hand when the meaning of stored answers changes in a way the digest cannot see.
SCHEMA = 1
# How choices are shown (XLSForm's "appearance"): "list" a drop-down for a long list of one choice;
# "columns" short choices side by side as the width allows.
APPEARANCES = (None, "list", "columns")
# Facts read outside the interview (statistics, referrals, result pages), each carried by one question
# that says so: code elsewhere asks the bank for the question, never for an id.
FACTS = {
    "sex": "How the person describes their sex (statistics, referrals).",
    "nationality": "The person's nationality (statistics, referrals).",
    "channel": "How the person was recruited: apps, agents, people (statistics, result pages).",
}


class BankError(ValueError):
    """A question bank that is not well formed."""


@dataclass(frozen=True)
class Choice:
    """One answer a question offers: a stable value, its text, and the evidence it adds."""

    value: str
    text: object
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    """One question of the bank."""

    id: str
    section: str
    kind: str
    text: object
    choices: tuple = ()
    hint: object = None
    officer_note: object = None
    show_if: dict | None = None
    evidence_field: str | None = None
    audience: str = PERSON
    page: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    fact: str | None = None
    # How the choices are shown: one of APPEARANCES.
    appearance: str | None = None

    @property
    def is_free_text(self):
        """Return whether the answer is written in words (it may name or describe the person)."""
        return self.kind == "text"

    @property
    def page_id(self):
        """Return the id of the page this question is asked on."""
        return self.page or self.id

    def choice(self, value):
        """Return the choice with this value, or None."""
        return next((c for c in self.choices if c.value == value), None)

    @property
    def values(self):
        """Return the stable values of the choices, in order."""
        return [c.value for c in self.choices]


@dataclass(frozen=True)
class Section:
    """A titled group of pages; ``phase`` says whether it comes before the check page."""

    id: str
    title: object
    phase: str = INTERVIEW


def alternatives(question_evidence_codes):
    """Return the "don't know" and "prefer not to say" choices for a question."""
    return (
        Choice(UNKNOWN, _l("Don't know"), _statuses(question_evidence_codes, "unknown")),
        Choice(DECLINED, _l("Prefer not to say"), _statuses(question_evidence_codes, "declined")),
    )


def _statuses(codes, status):
    return {"indicators": {code: status for code in codes}} if codes else {}


def indicator_codes(choices):
    """Return the indicator codes the given choices make present, in order."""
    codes = []
    for choice in choices:
        for code in choice.evidence.get("indicators", {}):
            if code not in codes:
                codes.append(code)
    return codes


def _condition_refs(cond):
    """Yield (kind, name) for every answer or fact a show_if condition reads."""
    if "all" in cond or "any" in cond:
        for sub in cond.get("all", cond.get("any")):
            yield from _condition_refs(sub)
    elif "not" in cond:
        yield from _condition_refs(cond["not"])
    elif "answer" in cond:
        yield "answer", cond["answer"]
    elif "child" in cond:
        yield "child", None
    else:
        raise BankError(f"unknown condition {cond!r}")


def _check_question(q, seen, sections, fields_seen):
    where = f"question {q.id!r}"
    if q.kind not in KINDS:
        raise BankError(f"{where}: unknown kind {q.kind!r}")
    if q.section not in sections:
        raise BankError(f"{where}: unknown section {q.section!r}")
    if q.kind in ("number", "text"):
        if q.evidence_field not in EVIDENCE_KEYS:
            raise BankError(f"{where}: a {q.kind} question must name an evidence_field")
        fields_seen.add(q.evidence_field)
    elif not q.choices:
        raise BankError(f"{where}: a {q.kind} question needs choices")
    if q.kind == "text" and q.audience != OFFICER:
        raise BankError(f"{where}: free text is for officer fields only")
    fits = {"list": ("single",), "columns": ("multi",)}
    if q.appearance not in APPEARANCES or (q.appearance and q.kind not in fits[q.appearance]):
        raise BankError(
            f"{where}: appearance {q.appearance!r} is not one of {APPEARANCES[1:]} for its kind "
            "(a list for a single choice, columns for a multiple choice)"
        )
    if q.fact is not None and q.fact not in FACTS:
        raise BankError(f"{where}: unknown fact {q.fact!r}; known: {', '.join(FACTS)}")
    values = q.values
    if len(set(values)) != len(values):
        raise BankError(f"{where}: two choices share a value")
    for choice in q.choices:
        try:
            validate_evidence(choice.evidence)
        except EvidenceError as exc:
            raise BankError(f"{where}, choice {choice.value!r}: {exc}") from exc
        fields_seen.update(k for k, v in choice.evidence.items() if v not in (None, [], {}))
    if q.show_if is not None:
        for kind, name in _condition_refs(q.show_if):
            if kind == "answer" and name not in seen:
                raise BankError(f"{where}: show_if refers to {name!r}, which is not an earlier question")
            if kind == "child" and not {"age", "possibly_minor"} <= set(seen):
                raise BankError(f"{where}: show_if asks about a child before age is asked")


def validate_bank(questions, sections):
    """Raise BankError, naming the question, unless the bank is well formed and complete."""
    seen = {}
    fields_seen = set()
    for q in questions:
        if q.id in seen:
            raise BankError(f"question {q.id!r}: the id is used twice")
        _check_question(q, seen, sections, fields_seen)
        seen[q.id] = q
    covered = {code for q in questions for code in indicator_codes(q.choices)}
    missing = [code for code in INDICATORS if code not in covered]
    if missing:
        raise BankError(f"no question evidences these indicators: {', '.join(missing)}")
    unfilled = [k for k in EVIDENCE_KEYS if k not in fields_seen]
    if unfilled:
        raise BankError(f"no question fills these evidence fields: {', '.join(unfilled)}")
    for fact in FACTS:
        carriers = [q.id for q in questions if q.fact == fact]
        if len(carriers) != 1:
            raise BankError(f"fact {fact!r} must be carried by exactly one question, not {carriers or 'none'}")


def fact_questions(questions):
    """Return {fact: the question that carries it}."""
    return {q.fact: q for q in questions if q.fact}


def _structure(questions):
    """Return what the meaning of stored answers depends on: ids, kinds, values, evidence."""
    return [[q.id, q.kind, q.evidence_field, q.show_if, [[c.value, c.evidence] for c in q.choices]] for q in questions]


def bank_version(questions):
    """Return a version that changes whenever ids, values, conditions or evidence change."""
    digest = hashlib.sha256(json.dumps(_structure(questions), sort_keys=True).encode()).hexdigest()
    return f"{SCHEMA}.{digest[:10]}"


def export(questions, version):
    """Return the bank as the JSON document reviewers and translators read."""
    out = []
    for q in questions:
        item = {
            "id": q.id,
            "section": q.section,
            "kind": q.kind,
            "audience": q.audience,
            "text": str(q.text),
            "hint": str(q.hint) if q.hint else None,
            "show_if": q.show_if,
        }
        if q.kind in ("number", "text"):
            item["evidence_field"] = q.evidence_field
        item["choices"] = [{"value": c.value, "text": str(c.text), "evidence": c.evidence} for c in q.choices]
        out.append(item)
    return {"version": version, "questions": out}
