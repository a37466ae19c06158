"""The question bank: its integrity, the checks validate_bank makes, its version and its export.

The bank is the contract between what the officer asks and what the scoring reads
(screening model §2 and §4), and every answer the person gives may be "don't know"
or "prefer not to say" (§6). Faulty banks are written inline, in the manner of
pyxform's tests, and put in front of the real bank so that the only thing wrong
with them is the fault under test.
"""

import dataclasses
import json

import pytest

from screening.instrument import questionnaire
from screening.instrument.bank import (
    OFFICER,
    PERSON,
    BankError,
    Choice,
    Question,
    bank_version,
    export,
    indicator_codes,
    validate_bank,
)
from screening.instrument.indicators import INDICATORS
from screening.instrument.questionnaire import QUESTIONS, SECTIONS
from screening.instrument.scoring import EVIDENCE_KEYS
from tests.banks import multi, yesno

BY_ID = {q.id: q for q in QUESTIONS}
ALTERNATIVE_VALUES = ("unknown", "declined")
PERSON_CLOSED = [q.id for q in QUESTIONS if q.audience == PERSON and q.kind in ("yesno", "single", "multi", "number")]
MULTI = [q.id for q in QUESTIONS if q.kind == "multi"]
WITH_INDICATORS = [q.id for q in QUESTIONS if indicator_codes(q.choices) and q.audience == PERSON]
OBSERVED = [q.id for q in QUESTIONS if indicator_codes(q.choices) and q.audience == OFFICER]


def sign(code):
    """Return a choice that makes one indicator present."""
    return Choice("sign", "A sign", {"indicators": {code: "present"}})


def checked(*extra):
    """Validate the given questions in front of the real bank; return the error message, or None."""
    try:
        validate_bank([*extra, *QUESTIONS], SECTIONS)
    except BankError as exc:
        return str(exc)
    return None


# --- the real bank --------------------------------------------------------------------


def test_the_real_bank_validates():
    validate_bank(QUESTIONS, SECTIONS)


def test_the_real_bank_with_a_well_formed_extra_question_in_front_still_validates():
    assert checked(yesno("extra", "safety", "Is this fine?")) is None


def test_question_ids_are_unique():
    ids = [q.id for q in QUESTIONS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("code", list(INDICATORS))
def test_every_indicator_is_made_present_by_some_choice(code):
    givers = [
        (q.id, c.value) for q in QUESTIONS for c in q.choices if c.evidence.get("indicators", {}).get(code) == "present"
    ]
    assert givers, f"no choice makes {code} present"


@pytest.mark.parametrize("key", EVIDENCE_KEYS)
def test_every_evidence_field_is_filled_by_some_question(key):
    by_field = [q.id for q in QUESTIONS if q.kind in ("number", "text") and q.evidence_field == key]
    by_choice = [(q.id, c.value) for q in QUESTIONS for c in q.choices if c.evidence.get(key) not in (None, [], {})]
    assert by_field or by_choice, f"nothing fills {key}"


@pytest.mark.parametrize("qid", PERSON_CLOSED)
def test_every_question_the_person_hears_offers_dont_know_and_prefer_not_to_say(qid):
    values = BY_ID[qid].values
    assert "unknown" in values
    assert "declined" in values


@pytest.mark.parametrize("qid", MULTI)
def test_every_multiple_choice_question_offers_none_of_these(qid):
    assert "none" in BY_ID[qid].values


@pytest.mark.parametrize("qid", MULTI)
def test_none_of_these_adds_no_evidence(qid):
    assert BY_ID[qid].choice("none").evidence == {}


def test_free_text_is_only_asked_of_the_officer():
    text_questions = [q for q in QUESTIONS if q.kind == "text"]
    assert [q.id for q in text_questions] == ["officer_concern_reason"]
    assert {q.audience for q in text_questions} == {OFFICER}


@pytest.mark.parametrize("qid", WITH_INDICATORS)
@pytest.mark.parametrize("alternative", ALTERNATIVE_VALUES)
def test_dont_know_and_prefer_not_to_say_give_that_status_to_every_indicator_of_the_question(qid, alternative):
    question = BY_ID[qid]
    codes = indicator_codes([c for c in question.choices if c.value not in ALTERNATIVE_VALUES])
    assert codes
    assert question.choice(alternative).evidence == {"indicators": {code: alternative for code in codes}}


@pytest.mark.parametrize("qid", OBSERVED)
def test_the_officers_observation_of_a_child_may_be_dont_know_and_is_never_declined(qid):
    question = BY_ID[qid]
    codes = indicator_codes([c for c in question.choices if c.value not in ALTERNATIVE_VALUES])
    assert codes
    assert question.choice("unknown").evidence == {"indicators": {code: "unknown" for code in codes}}
    assert question.choice("declined") is None
    assert question.show_if == {"child": True} or {"child": True} in question.show_if["all"]


@pytest.mark.parametrize("qid", [q for q in PERSON_CLOSED if q not in WITH_INDICATORS])
@pytest.mark.parametrize("alternative", ALTERNATIVE_VALUES)
def test_alternatives_of_a_question_without_indicators_add_no_evidence(qid, alternative):
    assert BY_ID[qid].choice(alternative).evidence == {}


def test_the_deceived_question_marks_all_seven_promises_unknown_on_dont_know():
    assert BY_ID["deceived"].choice("unknown").evidence == {
        "indicators": {
            "d1.job_nature": "unknown",
            "d1.wages": "unknown",
            "d1.conditions": "unknown",
            "d1.contract": "unknown",
            "d1.housing": "unknown",
            "d1.legal_status": "unknown",
            "d1.travel": "unknown",
        }
    }


# --- banks that validate_bank must reject ---------------------------------------------

FAULTY_BANKS = [
    pytest.param(
        [yesno("twice", "safety", "First?"), yesno("twice", "safety", "Second?")],
        "'twice'",
        "the id is used twice",
        id="duplicate-id",
    ),
    pytest.param(
        [
            yesno("early", "safety", "Early?", show_if={"answer": "late", "in": ["yes"]}),
            yesno("late", "safety", "Late?"),
        ],
        "'early'",
        "show_if refers to 'late', which is not an earlier question",
        id="show-if-later-question",
    ),
    pytest.param(
        [yesno("orphan", "safety", "Orphan?", show_if={"answer": "nowhere", "in": ["yes"]})],
        "'orphan'",
        "show_if refers to 'nowhere', which is not an earlier question",
        id="show-if-missing-question",
    ),
    pytest.param(
        [yesno("nested", "safety", "Nested?", show_if={"all": [{"not": {"answer": "ghost", "in": ["yes"]}}]})],
        "'nested'",
        "'ghost'",
        id="show-if-missing-question-nested",
    ),
    pytest.param(
        [multi("bad_code", "work", "Bad code?", [sign("d9.made_up")])],
        "'bad_code'",
        "d9.made_up",
        id="unknown-indicator-code",
    ),
    pytest.param(
        [yesno("too_soon", "safety", "Too soon?", show_if={"child": True})],
        "'too_soon'",
        "asks about a child before age is asked",
        id="child-condition-before-age",
    ),
    pytest.param(
        [Question("how_many", "about", "number", "How many?", minimum=0, maximum=10)],
        "'how_many'",
        "must name an evidence_field",
        id="number-without-evidence-field",
    ),
    pytest.param(
        [Question("story", "about", "text", "Tell me what happened", evidence_field="officer_concern")],
        "'story'",
        "free text is for officer fields only",
        id="free-text-person-question",
    ),
    pytest.param(
        [
            Question(
                "same_value",
                "about",
                "single",
                "Which?",
                (Choice("a", "A"), Choice("a", "Also A")),
            )
        ],
        "'same_value'",
        "two choices share a value",
        id="duplicate-choice-values",
    ),
    pytest.param(
        [Question("odd_kind", "about", "slider", "How much?", (Choice("a", "A"),))],
        "'odd_kind'",
        "unknown kind 'slider'",
        id="unknown-kind",
    ),
    pytest.param(
        [yesno("lost", "nowhere", "Lost?")],
        "'lost'",
        "unknown section 'nowhere'",
        id="unknown-section",
    ),
]


@pytest.mark.parametrize(("bank", "names", "says"), FAULTY_BANKS)
def test_a_faulty_bank_is_rejected_with_a_message_naming_the_faulty_question(bank, names, says):
    message = checked(*bank)
    assert message is not None, "the faulty bank validated"
    assert f"question {names}" in message
    assert says in message


def test_a_child_condition_after_age_and_possibly_minor_is_accepted():
    late = yesno("after_age", "about", "After age?", show_if={"child": True})
    bank = list(QUESTIONS)
    bank.insert(bank.index(BY_ID["possibly_minor"]) + 1, late)
    validate_bank(bank, SECTIONS)


def test_a_bank_where_no_question_evidences_an_indicator_is_rejected_naming_the_indicators():
    bank = [q for q in QUESTIONS if q.id not in ("kept_there", "child_kept_there", "child_kept_there_2")]
    with pytest.raises(BankError) as caught:
        validate_bank(bank, SECTIONS)
    message = str(caught.value)
    assert "no question evidences these indicators" in message
    for code in ("d6.dependency", "d6.unknown_area", "d6.personal_characteristics"):
        assert code in message


def test_a_bank_where_no_question_fills_an_evidence_field_is_rejected_naming_the_field():
    bank = [q for q in QUESTIONS if q.id != "officer_concern_reason"]
    with pytest.raises(BankError, match="no question fills these evidence fields: officer_concern$"):
        validate_bank(bank, SECTIONS)


# --- the version ----------------------------------------------------------------------


def with_choice(qid, which, **changes):
    """Return the real bank with one choice of one question changed."""
    question = BY_ID[qid]
    choices = tuple(dataclasses.replace(c, **changes) if c.value == which else c for c in question.choices)
    return [dataclasses.replace(q, choices=choices) if q.id == qid else q for q in QUESTIONS]


def test_the_version_of_the_real_bank_is_the_one_the_app_records():
    assert bank_version(QUESTIONS) == questionnaire.VERSION
    assert questionnaire.VERSION.startswith("1.")


@pytest.mark.parametrize(
    ("bank", "why"),
    [
        (with_choice("deceived", "wages", evidence={"indicators": {"d1.contract": "present"}}), "evidence"),
        (with_choice("danger_now", "yes", evidence={}), "evidence removed"),
        (with_choice("stage", "in_transit", value="transit"), "value"),
        (with_choice("sex", "other", value="another"), "value of a choice without evidence"),
        ([dataclasses.replace(q, show_if=None) if q.id == "deceived" else q for q in QUESTIONS], "show_if"),
        ([q for q in QUESTIONS if q.id != "paid_crossing"], "a question removed"),
    ],
)
def test_the_version_changes_when_the_meaning_of_answers_changes(bank, why):
    assert bank_version(bank) != bank_version(QUESTIONS), why


@pytest.mark.parametrize(
    "bank",
    [
        with_choice("deceived", "wages", text="Your pay"),
        with_choice("stage", "in_transit", text="Somewhere on the way"),
        [dataclasses.replace(q, text="Reworded?", hint="A new hint") if q.id == "act" else q for q in QUESTIONS],
    ],
)
def test_the_version_does_not_change_when_only_a_text_changes(bank):
    assert bank_version(bank) == bank_version(QUESTIONS)


# --- the export -----------------------------------------------------------------------


@pytest.fixture
def document():
    """Return the exported bank, passed through JSON as a reviewer would read it."""
    return json.loads(json.dumps(export(QUESTIONS, questionnaire.VERSION)))


def test_the_export_names_the_version_and_lists_every_question_in_order(document):
    assert set(document) == {"version", "questions"}
    assert document["version"] == questionnaire.VERSION
    assert [q["id"] for q in document["questions"]] == [q.id for q in QUESTIONS]


def test_every_exported_question_has_its_id_section_kind_text_condition_and_choices(document):
    for item, question in zip(document["questions"], QUESTIONS, strict=True):
        assert item["section"] == question.section
        assert item["kind"] == question.kind
        assert item["audience"] == question.audience
        assert item["text"] == str(question.text)
        assert item["show_if"] == question.show_if
        assert item["choices"] == [
            {"value": c.value, "text": str(c.text), "evidence": c.evidence} for c in question.choices
        ]


def test_only_number_and_text_questions_export_their_evidence_field(document):
    fields = {q["id"]: q["evidence_field"] for q in document["questions"] if "evidence_field" in q}
    assert fields == {"age": "age", "officer_concern_reason": "officer_concern"}


def test_the_export_shows_a_choice_with_its_evidence(document):
    deceived = next(q for q in document["questions"] if q["id"] == "deceived")
    assert deceived["show_if"] == {"child": False}
    assert deceived["choices"][0] == {
        "value": "job_nature",
        "text": "The job, the place of work or the employer",
        "evidence": {"indicators": {"d1.job_nature": "present"}},
    }
    assert [c["value"] for c in deceived["choices"][-3:]] == ["none", "unknown", "declined"]


def test_the_export_of_the_age_question_offers_the_alternatives_and_no_evidence_of_its_own(document):
    age = next(q for q in document["questions"] if q["id"] == "age")
    assert age["kind"] == "number"
    assert age["evidence_field"] == "age"
    assert [(c["value"], c["evidence"]) for c in age["choices"]] == [("unknown", {}), ("declined", {})]
