"""The interview logic: conditions, the visible path, what stored answers mean, and page order.

The child path follows the screening model §6 (once the person is or may be a
child, only the minimum is asked); the stage rule follows §1 (a person met before
departure has no work or destination to describe yet). Answers to hidden or
changed questions are kept in storage but never scored.
"""

import pytest

from screening.instrument.bank import Choice
from screening.instrument.logic import (
    condition_holds,
    evidence_for,
    first_unanswered,
    is_valid_answer,
    neighbours,
    pages,
    revealed_by,
    walk,
)
from screening.instrument.questionnaire import QUESTIONS, SECTIONS
from tests.banks import multi

BY_ID = {q.id: q for q in QUESTIONS}
ADULT = {"age": 30, "possibly_minor": "no"}
ADULT_ONLY = ["deceived", "forced_to_go", "vulnerability", "recruiter_ties", "pressure", "kept_there", "paid_crossing"]
NOT_BEFORE_DEPARTURE = ["conditions", "coercion", "pressure", "kept_there"]
SAFETY = {"danger_now": "no", "controller_nearby": "no", "medical_now": "no", "self_harm": "no"}


def visible_ids(answers):
    """Return the ids of the questions visible for these stored answers."""
    visible, _effective = walk(QUESTIONS, answers)
    return [q.id for q in visible]


# --- conditions -----------------------------------------------------------------------

STAGE_EARLY = {"answer": "stage", "in": ["before_departure"]}
UNDER_18 = {"answer": "age", "lt": 18}
WAGES = {"answer": "deceived", "in": ["wages"]}


@pytest.mark.parametrize(
    ("cond", "answers", "child", "expected"),
    [
        pytest.param(None, {}, False, True, id="no-condition"),
        pytest.param(STAGE_EARLY, {"stage": "before_departure"}, False, True, id="in-single-match"),
        pytest.param(STAGE_EARLY, {"stage": "in_transit"}, False, False, id="in-single-other"),
        pytest.param(STAGE_EARLY, {}, False, False, id="in-unanswered"),
        pytest.param(WAGES, {"deceived": ["job_nature", "wages"]}, False, True, id="in-multi-overlap"),
        pytest.param(WAGES, {"deceived": ["job_nature"]}, False, False, id="in-multi-no-overlap"),
        pytest.param(UNDER_18, {"age": 17}, False, True, id="lt-below"),
        pytest.param(UNDER_18, {"age": 18}, False, False, id="lt-equal"),
        pytest.param(UNDER_18, {"age": 0}, False, True, id="lt-zero"),
        pytest.param(UNDER_18, {"age": "unknown"}, False, False, id="lt-alternative"),
        pytest.param(UNDER_18, {}, False, False, id="lt-unanswered"),
        pytest.param({"not": UNDER_18}, {"age": "declined"}, False, True, id="not-lt-alternative"),
        pytest.param({"not": UNDER_18}, {"age": 12}, False, False, id="not-lt-child"),
        pytest.param({"not": STAGE_EARLY}, {}, False, True, id="not-unanswered"),
        pytest.param(
            {"all": [STAGE_EARLY, UNDER_18]}, {"stage": "before_departure", "age": 9}, False, True, id="all-both"
        ),
        pytest.param(
            {"all": [STAGE_EARLY, UNDER_18]}, {"stage": "before_departure", "age": 40}, False, False, id="all-one"
        ),
        pytest.param({"all": []}, {}, False, True, id="all-empty"),
        pytest.param({"any": [STAGE_EARLY, UNDER_18]}, {"age": 9}, False, True, id="any-one"),
        pytest.param({"any": [STAGE_EARLY, UNDER_18]}, {"age": 40}, False, False, id="any-none"),
        pytest.param({"any": []}, {}, False, False, id="any-empty"),
        pytest.param({"child": True}, {}, True, True, id="child-true-for-child"),
        pytest.param({"child": True}, {}, False, False, id="child-true-for-adult"),
        pytest.param({"child": False}, {}, False, True, id="child-false-for-adult"),
        pytest.param({"child": False}, {}, True, False, id="child-false-for-child"),
        pytest.param(
            {"all": [{"child": False}, {"not": STAGE_EARLY}]},
            {"stage": "at_destination"},
            False,
            True,
            id="adult-at-destination",
        ),
        pytest.param(
            {"all": [{"child": False}, {"not": STAGE_EARLY}]},
            {"stage": "at_destination"},
            True,
            False,
            id="child-at-destination",
        ),
    ],
)
def test_a_condition_holds_as_the_table_says(cond, answers, child, expected):
    assert condition_holds(cond, answers, child) is expected


# --- the child path -------------------------------------------------------------------

CHILD_ANSWERS = [
    pytest.param({"age": 15}, id="age-15"),
    pytest.param({"age": 17}, id="age-17"),
    pytest.param({"age": 30, "possibly_minor": "yes"}, id="doubtful-age-may-be-minor"),
    pytest.param({"age": 19, "possibly_minor": "unsure"}, id="doubtful-age-unsure"),
    pytest.param({"age": "unknown", "possibly_minor": "yes"}, id="age-unknown-may-be-minor"),
    pytest.param({"age": "declined", "possibly_minor": "unsure"}, id="age-declined-unsure"),
]


@pytest.mark.parametrize("answers", CHILD_ANSWERS)
@pytest.mark.parametrize("qid", ADULT_ONLY)
def test_the_child_path_hides_adult_only_questions(answers, qid):
    assert qid not in visible_ids(answers)


@pytest.mark.parametrize("answers", CHILD_ANSWERS)
def test_the_child_path_asks_whether_a_trusted_adult_is_there(answers):
    assert "accompanied" in visible_ids(answers)


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param({"age": 30, "possibly_minor": "no"}, id="adult"),
        pytest.param({"age": 18, "possibly_minor": "no"}, id="just-18"),
        pytest.param({"age": "unknown", "possibly_minor": "no"}, id="age-unknown-clearly-adult"),
    ],
)
def test_the_adult_path_asks_the_adult_questions_and_not_about_a_guardian(answers):
    ids = visible_ids(answers)
    assert [qid for qid in ADULT_ONLY if qid not in ids] == []
    assert "accompanied" not in ids


def test_the_child_path_keeps_the_minimum_every_person_is_asked():
    ids = visible_ids({"age": 15, "stage": "at_destination"})
    assert ids == [
        "danger_now",
        "controller_nearby",
        "medical_now",
        "self_harm",
        "stage",
        "age",
        "accompanied",
        "sex",
        "nationality",
        "act",
        "channel",
        "lured",
        "forms",
        "conditions",
        "coercion",
        "documents",
        "safe_place",
        "health",
        "fear_of_return",
        "child_deceived",
        "child_deceived_2",
        "child_forced",
        "child_forced_2",
        "child_vulnerability",
        "child_vulnerability_2",
        "child_recruiter_ties",
        "child_control",
        "child_control_2",
        "child_kept_there",
        "child_kept_there_2",
        "distress",
        "officer_concern",
    ]


@pytest.mark.parametrize(
    ("age", "asked"),
    [(17, False), (0, False), (18, True), (45, True), ("unknown", True), ("declined", True), (None, True)],
)
def test_the_officer_is_asked_about_a_possible_minor_unless_the_stated_age_is_under_18(age, asked):
    answers = {} if age is None else {"age": age}
    assert ("possibly_minor" in visible_ids(answers)) is asked


# --- the stage ------------------------------------------------------------------------


@pytest.mark.parametrize("qid", NOT_BEFORE_DEPARTURE)
def test_a_person_met_before_departure_is_not_asked_about_work_or_control_there(qid):
    assert qid not in visible_ids({**ADULT, "stage": "before_departure"})


@pytest.mark.parametrize("stage", ["in_transit", "at_destination", "after_exit", None])
@pytest.mark.parametrize("qid", NOT_BEFORE_DEPARTURE)
def test_at_any_other_stage_the_work_and_control_questions_are_asked(stage, qid):
    answers = dict(ADULT) if stage is None else {**ADULT, "stage": stage}
    assert qid in visible_ids(answers)


@pytest.mark.parametrize("qid", ["deceived", "forms", "act", "paid_crossing"])
def test_before_departure_the_recruitment_and_needs_questions_are_still_asked(qid):
    assert qid in visible_ids({**ADULT, "stage": "before_departure"})


# --- hidden and stale answers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "hidden", "code"),
    [
        pytest.param({"age": 15, "deceived": ["job_nature"]}, "deceived", "d1.job_nature", id="child-deceived"),
        pytest.param(
            {"age": 30, "possibly_minor": "yes", "forced_to_go": ["violence"]},
            "forced_to_go",
            "d2.violence",
            id="possible-minor-forced-to-go",
        ),
        pytest.param({"age": 16, "pressure": ["threat_worse"]}, "pressure", "d5.threat_worse", id="child-pressure"),
        pytest.param(
            {**ADULT, "stage": "before_departure", "coercion": ["confinement"]},
            "coercion",
            "d5.confinement",
            id="before-departure-coercion",
        ),
        pytest.param(
            {**ADULT, "stage": "before_departure", "conditions": ["excessive_hours"]},
            "conditions",
            "d4.excessive_hours",
            id="before-departure-conditions",
        ),
    ],
)
def test_an_answer_to_a_hidden_question_is_ignored(answers, hidden, code):
    _visible, effective = walk(QUESTIONS, answers)
    assert hidden not in effective
    assert code not in evidence_for(QUESTIONS, answers)["indicators"]


def test_the_same_answer_to_a_visible_question_is_scored():
    assert evidence_for(QUESTIONS, {**ADULT, "deceived": ["job_nature"]})["indicators"] == {"d1.job_nature": "present"}


def test_a_hidden_answer_for_a_child_does_not_add_to_the_needs():
    evidence = evidence_for(QUESTIONS, {"age": 15, "paid_crossing": "yes"})
    assert evidence["needs"] == []


def test_the_officers_reason_is_ignored_unless_the_officer_recorded_a_concern():
    answers = {"officer_concern": "no", "officer_concern_reason": "Papers do not match."}
    assert evidence_for(QUESTIONS, answers)["officer_concern"] is None
    answers["officer_concern"] = "yes"
    assert evidence_for(QUESTIONS, answers)["officer_concern"] == "Papers do not match."


@pytest.mark.parametrize(
    ("qid", "value"),
    [
        pytest.param("deceived", ["no_longer_a_choice"], id="multi-value-gone"),
        pytest.param("deceived", ["job_nature", "no_longer_a_choice"], id="multi-one-value-gone"),
        pytest.param("deceived", [], id="multi-empty"),
        pytest.param("deceived", "job_nature", id="multi-not-a-list"),
        pytest.param("stage", "on_the_moon", id="single-value-gone"),
        pytest.param("danger_now", "maybe", id="yesno-value-gone"),
        pytest.param("danger_now", ["yes"], id="yesno-a-list"),
        pytest.param("age", 121, id="number-above-range"),
        pytest.param("age", -1, id="number-below-range"),
        pytest.param("age", "seventeen", id="number-text"),
        pytest.param("age", "none", id="number-alternative-not-offered"),
        pytest.param("officer_concern_reason", "   ", id="text-blank"),
    ],
)
def test_a_stale_answer_is_ignored(qid, value):
    base = {**ADULT, "officer_concern": "yes"} if qid == "officer_concern_reason" else dict(ADULT)
    if qid == "age":
        base = {"possibly_minor": "no"}
    answers = {**base, qid: value}
    assert not is_valid_answer(BY_ID[qid], value)
    _visible, effective = walk(QUESTIONS, answers)
    assert qid not in effective
    assert evidence_for(QUESTIONS, answers) == evidence_for(QUESTIONS, base)


def test_an_age_out_of_range_leaves_the_age_unknown_and_asks_about_a_possible_minor():
    evidence = evidence_for(QUESTIONS, {"age": 200})
    assert evidence["age"] is None
    assert "possibly_minor" in visible_ids({"age": 200})


def test_a_valid_stage_sets_the_stage_of_the_evidence():
    assert evidence_for(QUESTIONS, {"stage": "in_transit"})["stage"] == "in_transit"


# --- numbers and their alternatives ---------------------------------------------------


@pytest.mark.parametrize(
    ("age", "expected"),
    [("unknown", None), ("declined", None), (0, 0), (17, 17), (120, 120)],
)
def test_the_age_of_the_evidence_is_the_number_given_or_null_for_an_alternative(age, expected):
    assert evidence_for(QUESTIONS, {"age": age})["age"] == expected


@pytest.mark.parametrize("age", ["unknown", "declined"])
def test_an_age_alternative_adds_no_indicator_and_does_not_make_a_child(age):
    evidence = evidence_for(QUESTIONS, {"age": age, "possibly_minor": "no"})
    assert evidence["indicators"] == {}
    assert evidence["possibly_minor"] is False
    assert "accompanied" not in visible_ids({"age": age, "possibly_minor": "no"})


# --- merging evidence from two questions ----------------------------------------------

# Two questions that both speak of d5.confinement, as a bank may when it asks twice.
TWICE = [
    multi("first", "control", "First?", [Choice("locked", "Locked in", {"indicators": {"d5.confinement": "present"}})]),
    multi("second", "control", "Second?", [Choice("kept", "Kept in", {"indicators": {"d5.confinement": "present"}})]),
]
SAYS = {"present": None, "none": ["none"], "unknown": ["unknown"], "declined": ["declined"]}


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("present", "declined", "present"),
        ("declined", "present", "present"),
        ("present", "unknown", "present"),
        ("unknown", "present", "present"),
        ("present", "none", "present"),
        ("none", "present", "present"),
        ("declined", "unknown", "declined"),
        ("unknown", "declined", "declined"),
        ("declined", "none", "declined"),
        ("none", "unknown", "unknown"),
        ("unknown", "unknown", "unknown"),
        ("none", "none", None),
    ],
)
def test_when_two_questions_touch_one_indicator_present_beats_declined_beats_unknown(first, second, expected):
    answers = {
        "first": SAYS[first] or ["locked"],
        "second": SAYS[second] or ["kept"],
    }
    assert evidence_for(TWICE, answers)["indicators"].get("d5.confinement") == expected


def test_list_fields_from_several_answers_are_merged_without_repeats():
    answers = {**SAFETY, "danger_now": "yes", "controller_nearby": "yes", "medical_now": "yes", "health": "yes"}
    evidence = evidence_for(QUESTIONS, answers)
    assert evidence["urgent"] == ["danger", "controller_present", "medical"]
    assert evidence["needs"] == ["injury_illness"]


# --- pages, neighbours and the first unanswered page -----------------------------------

ADULT_PAGES = [
    "safety",
    "health_now",
    "about_person",
    "about_you",
    "act",
    "channel",
    "deceived",
    "lured",
    "forced_to_go",
    "vulnerability",
    "recruiter_ties",
    "forms",
    "conditions",
    "coercion",
    "pressure",
    "kept_there",
    "needs",
    "return_and_border",
]


def test_the_pages_of_an_adults_interview_come_in_bank_order_with_related_questions_together():
    page_map = pages(walk(QUESTIONS, {})[0], SECTIONS)
    assert list(page_map) == ADULT_PAGES
    assert [q.id for q in page_map["safety"]] == ["danger_now", "controller_nearby"]
    assert [q.id for q in page_map["health_now"]] == ["medical_now", "self_harm"]
    assert [q.id for q in page_map["about_you"]] == ["possibly_minor", "sex", "nationality"]
    assert [q.id for q in page_map["needs"]] == ["documents", "safe_place", "health"]
    assert [q.id for q in page_map["return_and_border"]] == ["fear_of_return", "paid_crossing"]


def test_the_officers_observations_are_a_separate_phase_on_one_page():
    observations = pages(walk(QUESTIONS, {})[0], SECTIONS, "observations")
    shown = {page: [q.id for q in qs] for page, qs in observations.items()}
    assert shown == {"officer": ["distress", "officer_concern"]}
    with_concern = pages(walk(QUESTIONS, {"officer_concern": "yes"})[0], SECTIONS, "observations")
    assert [q.id for q in with_concern["officer"]] == ["distress", "officer_concern", "officer_concern_reason"]


def test_the_officers_reason_is_shown_in_place_by_a_yes_to_the_concern():
    page = [q for q in QUESTIONS if q.page_id == "officer"]
    reason = next(q for q in page if q.id == "officer_concern_reason")
    assert revealed_by(QUESTIONS, {}, page, reason) == [("officer_concern", "yes")]


@pytest.mark.parametrize(
    ("answers", "page_id", "expected"),
    [
        pytest.param({}, "safety", (None, "health_now"), id="first"),
        pytest.param({}, "return_and_border", ("needs", None), id="last"),
        pytest.param({}, "about_you", ("about_person", "act"), id="grouped-page"),
        pytest.param({"age": 15}, "about_you", ("accompanied", "act"), id="child-asked-accompanied-first"),
        pytest.param({"age": 15}, "lured", ("channel", "forms"), id="child-skips-adult-only"),
        pytest.param({}, "accompanied", (None, None), id="hidden-page"),
        pytest.param({}, "no_such_page", (None, None), id="unknown-page"),
        pytest.param({"stage": "before_departure"}, "forms", ("recruiter_ties", "needs"), id="before-departure"),
    ],
)
def test_neighbours_are_the_visible_pages_either_side(answers, page_id, expected):
    assert neighbours(pages(walk(QUESTIONS, answers)[0], SECTIONS), page_id) == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param({}, "safety", id="nothing-answered"),
        pytest.param({"danger_now": "maybe"}, "safety", id="a-stale-answer-is-unanswered"),
        pytest.param(dict(SAFETY), "about_person", id="after-safety"),
        pytest.param({**SAFETY, "stage": "in_transit", "age": 30}, "about_you", id="adult-age"),
        pytest.param({**SAFETY, "stage": "in_transit", "age": 15}, "accompanied", id="child-age"),
        pytest.param({**SAFETY, "stage": "in_transit", **ADULT, "sex": "female"}, "about_you", id="half-answered-page"),
        pytest.param({"channel": ["none"], "act": "no"}, "safety", id="earlier-pages-first"),
    ],
)
def test_the_first_unanswered_page_is_the_first_visible_page_with_a_question_left(answers, expected):
    page_map = pages(walk(QUESTIONS, answers)[0], SECTIONS)
    _visible, effective = walk(QUESTIONS, answers)
    assert first_unanswered(page_map, effective) == expected


def test_no_page_is_unanswered_once_every_visible_question_has_an_answer():
    answers = {
        **SAFETY,
        "stage": "before_departure",
        "age": 16,
        "accompanied": "yes",
        "sex": "male",
        "nationality": "LAO",
        "act": "yes",
        "channel": ["facebook"],
        "lured": ["none"],
        "forms": ["labour"],
        "documents": "yes",
        "safe_place": "yes",
        "health": "no",
        "fear_of_return": "no",
    }
    page_map = pages(walk(QUESTIONS, answers)[0], SECTIONS)
    _visible, effective = walk(QUESTIONS, answers)
    assert first_unanswered(page_map, effective) is None
