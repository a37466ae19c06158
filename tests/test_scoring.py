"""The scoring, checked against docs/screening-model.md sections 2-5.

The expected values come from the screening model, not from the code: each case
states what the model says the evidence must produce, so a test that fails here
means the code and the model disagree.
"""

import pytest

from screening.instrument.scoring import EvidenceError, assess, dimension_is_positive, is_child, validate_evidence

ADULT = {"age": 30, "possibly_minor": False}
CHILD = {"age": 15, "possibly_minor": False}

ALWAYS_EXPLOITATION_FORMS = [
    "sexual",
    "sexual_online",
    "forced_criminality",
    "forced_marriage",
    "forced_begging",
    "organ_removal",
]
OTHER_FORMS = ["labour", "domestic_servitude", "other"]
URGENT_ORDER = ["danger", "controller_present", "medical", "self_harm", "child_alone"]
SERVICE_ORDER = [
    "child_protection",
    "medical",
    "psychosocial",
    "shelter",
    "asylum",
    "consular",
    "migrant_assistance",
    "labour_rights",
]

# Indicator sets that make one dimension positive on the adult list (section 2).
D1_POSITIVE = ("d1.job_nature", "d1.wages")  # S + M
D2_POSITIVE = ("d2.violence", "d2.threats")  # S + M
D3_POSITIVE = ("d3.family_hardship", "d3.economic", "d3.lack_information")  # 3 M
D4_POSITIVE = ("d4.excessive_hours", "d4.low_or_no_pay")  # S + M
D5_POSITIVE = ("d5.confinement", "d5.threats")  # S + M
D6_POSITIVE = ("d6.dependency", "d6.unknown_area", "d6.economic")  # 3 M


def evidence(person=ADULT, present=(), declined=(), unknown=(), absent=(), **fields):
    """Build an evidence document (section 4) for one person."""
    indicators = {}
    indicators.update({code: "present" for code in present})
    indicators.update({code: "declined" for code in declined})
    indicators.update({code: "unknown" for code in unknown})
    indicators.update({code: "absent" for code in absent})
    return {"indicators": indicators, **person, **fields}


def outcome_of(doc):
    result = assess(doc)
    return result["outcome"], result["rule"]


# --- the dimension rule (section 3) -------------------------------------------------


@pytest.mark.parametrize(
    "ratings",
    [
        ["S", "S"],
        ["S", "M"],
        ["S", "W"],
        ["M", "M", "M"],
        ["M", "M", "W"],
        ["W", "M", "M"],
        ["M", "S"],
        ["W", "S"],
        ["S", "S", "S"],
        ["M", "M", "M", "M"],
        ["M", "M", "W", "W"],
    ],
)
def test_a_dimension_is_positive_at_each_threshold_of_the_combination_rule(ratings):
    assert dimension_is_positive(ratings) is True


@pytest.mark.parametrize(
    "ratings",
    [
        [],
        ["S"],
        ["M"],
        ["W"],
        ["M", "M"],
        ["M", "W"],
        ["W", "M"],
        ["W", "W"],
        ["W", "W", "W"],
        ["M", "W", "W"],
        ["W", "W", "W", "W"],
        ["M", "W", "W", "W"],
    ],
)
def test_a_dimension_below_every_threshold_is_not_positive(ratings):
    assert dimension_is_positive(ratings) is False


@pytest.mark.parametrize(
    ("dimension", "codes", "positive"),
    [
        # 2 S
        ("d5", ["d5.confinement", "d5.violence"], True),
        ("d2", ["d2.violence", "d2.threats", "d2.documents_taken"], True),
        # S + M
        ("d5", ["d5.confinement", "d5.threats"], True),
        ("d1", ["d1.job_nature", "d1.wages"], True),
        ("d4", ["d4.excessive_hours", "d4.low_or_no_pay"], True),
        # S + W
        ("d5", ["d5.confinement", "d5.threat_expose"], True),
        ("d1", ["d1.job_nature", "d1.education"], True),
        ("d4", ["d4.excessive_hours", "d4.no_education"], True),
        # 3 M
        ("d6", ["d6.dependency", "d6.unknown_area", "d6.economic"], True),
        ("d3", ["d3.family_hardship", "d3.economic", "d3.lack_information"], True),
        ("d2", ["d2.threats", "d2.documents_taken", "d2.confinement"], True),
        # 2 M + W
        ("d6", ["d6.dependency", "d6.unknown_area", "d6.past_difficulties"], True),
        ("d3", ["d3.economic", "d3.controlled", "d3.cultural_beliefs"], True),
        ("d4", ["d4.low_or_no_pay", "d4.bad_living", "d4.no_education"], True),
        # S alone
        ("d5", ["d5.confinement"], False),
        ("d1", ["d1.job_nature"], False),
        ("d2", ["d2.violence"], False),
        ("d4", ["d4.excessive_hours"], False),
        # 2 M
        ("d6", ["d6.dependency", "d6.unknown_area"], False),
        ("d2", ["d2.threats", "d2.abduction_sale"], False),
        # M + W
        ("d6", ["d6.dependency", "d6.past_difficulties"], False),
        ("d5", ["d5.threats", "d5.threat_expose"], False),
        # 2 W (no adult dimension has three weak indicators)
        ("d6", ["d6.past_difficulties", "d6.personal_characteristics"], False),
        ("d3", ["d3.cultural_beliefs", "d3.general_context"], False),
        # M + 2 W
        ("d6", ["d6.dependency", "d6.past_difficulties", "d6.personal_characteristics"], False),
        ("d3", ["d3.economic", "d3.cultural_beliefs", "d3.general_context"], False),
        # M alone, W alone
        ("d1", ["d1.wages"], False),
        ("d1", ["d1.education"], False),
    ],
)
def test_an_adult_dimension_follows_the_combination_rule_with_real_indicators(dimension, codes, positive):
    result = assess(evidence(ADULT, present=codes))
    assert result["dimensions"][dimension]["positive"] is positive
    assert sorted(result["dimensions"][dimension]["present"]) == sorted(codes)
    for other in {"d1", "d2", "d3", "d4", "d5", "d6"} - {dimension}:
        assert result["dimensions"][other] == {"positive": False, "present": []}


@pytest.mark.parametrize("status", ["declined", "unknown", "absent"])
def test_only_present_indicators_count_towards_a_dimension(status):
    codes = ["d5.confinement", "d5.violence", "d5.debt_bondage"]
    result = assess(evidence(ADULT, **{status: codes}))
    assert result["dimensions"]["d5"] == {"positive": False, "present": []}


def test_a_declined_indicator_does_not_complete_a_dimension():
    result = assess(evidence(ADULT, present=["d5.confinement"], declined=["d5.violence"]))
    assert result["dimensions"]["d5"] == {"positive": False, "present": ["d5.confinement"]}


# --- child weights (section 2) --------------------------------------------------------


@pytest.mark.parametrize(
    ("dimension", "codes", "adult_positive", "child_positive", "child_present"),
    [
        # d2.threats: M adult, S child
        ("d2", ["d2.threats", "d2.documents_taken"], False, True, None),
        # d2.abduction_sale, d2.debt_bondage: M adult, S child
        ("d2", ["d2.abduction_sale", "d2.debt_bondage"], False, True, None),
        # d1.education: W adult, S child
        ("d1", ["d1.wages", "d1.education"], False, True, None),
        # d3.cultural_beliefs, d3.general_context: W adult, M child
        ("d3", ["d3.economic", "d3.cultural_beliefs", "d3.general_context"], False, True, None),
        # d4.no_education: W adult, M child (adult 2M + W is positive too)
        ("d4", ["d4.low_or_no_pay", "d4.no_education"], False, False, None),
        # d5.threats, d5.forced_crime, d5.forced_tasks, d5.strong_influence: M adult, S child
        ("d5", ["d5.threats", "d5.forced_crime"], False, True, None),
        ("d5", ["d5.forced_tasks", "d5.strong_influence"], False, True, None),
        # d5.threat_expose: W adult, M child
        ("d5", ["d5.against_peers", "d5.forced_to_lie", "d5.threat_expose"], True, True, None),
        ("d5", ["d5.against_peers", "d5.threat_expose"], False, False, None),
        # d6 weak adult indicators are medium for a child
        ("d6", ["d6.dependency", "d6.past_difficulties", "d6.personal_characteristics"], False, True, None),
        # d3.false_authorities: M adult, not on the child list
        (
            "d3",
            ["d3.family_hardship", "d3.economic", "d3.false_authorities"],
            True,
            False,
            ["d3.family_hardship", "d3.economic"],
        ),
        # d4.no_social_protection: M adult, not on the child list
        (
            "d4",
            ["d4.low_or_no_pay", "d4.bad_living", "d4.no_social_protection"],
            True,
            False,
            ["d4.low_or_no_pay", "d4.bad_living"],
        ),
        ("d3", ["d3.false_authorities"], False, False, []),
        ("d4", ["d4.no_social_protection"], False, False, []),
    ],
)
def test_a_child_is_rated_with_the_child_list(dimension, codes, adult_positive, child_positive, child_present):
    adult = assess(evidence(ADULT, present=codes))["dimensions"][dimension]
    child = assess(evidence(CHILD, present=codes))["dimensions"][dimension]
    assert adult["positive"] is adult_positive
    assert sorted(adult["present"]) == sorted(codes)
    expected_child_present = codes if child_present is None else child_present
    assert child["positive"] is child_positive
    assert sorted(child["present"]) == sorted(expected_child_present)


def test_a_threat_at_destination_is_a_strong_indicator_for_a_child_but_not_for_an_adult():
    doc = {"present": ["d5.threats"], "act": None, "stage": "at_destination"}
    assert outcome_of(evidence(ADULT, **doc)) == ("not_indicated", "none")
    # d5.threats establishes the act for a child but there is no purpose: P3 (a strong d5).
    assert outcome_of(evidence(CHILD, **doc)) == ("possible", "P3")


def test_indicators_off_the_child_list_do_not_make_a_child_a_p6_referral():
    doc = evidence(CHILD, present=["d4.no_social_protection"], act=None)
    result = assess(doc)
    assert (result["outcome"], result["rule"]) == ("not_indicated", "none")
    assert result["dimensions"]["d4"] == {"positive": False, "present": []}


# --- who is a child (section 3) --------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "possibly_minor", "child"),
    [
        (17, False, True),
        (17, None, True),
        (0, None, True),
        (18, False, False),
        (18, None, False),
        (40, None, False),
        (None, True, True),
        (None, False, False),
        (None, None, False),
        (25, True, True),
        (18, True, True),
    ],
)
def test_a_child_is_under_18_or_possibly_under_18(age, possibly_minor, child):
    doc = {"age": age, "possibly_minor": possibly_minor}
    assert assess(doc)["child"] is child
    assert is_child(validate_evidence(doc)) is child


# --- presumed: adult_combination (section 3, rule 1) ---------------------------------


@pytest.mark.parametrize(
    "present",
    [
        D1_POSITIVE + D4_POSITIVE + D5_POSITIVE,
        D2_POSITIVE + D4_POSITIVE + D5_POSITIVE,
        D3_POSITIVE + D4_POSITIVE + D6_POSITIVE,
        D1_POSITIVE + D2_POSITIVE + D3_POSITIVE + D4_POSITIVE + D5_POSITIVE + D6_POSITIVE,
        # purpose by force, without d4: scam compound
        D1_POSITIVE + ("d5.confinement", "d5.forced_crime"),
        D3_POSITIVE + ("d5.forced_tasks",) + D6_POSITIVE,
        D2_POSITIVE + ("d5.forced_crime",) + D6_POSITIVE,
    ],
)
def test_an_adult_with_recruitment_purpose_and_coercion_is_presumed(present):
    doc = evidence(ADULT, present=present, stage="at_destination")
    assert outcome_of(doc) == ("presumed", "adult_combination")


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        # no recruitment dimension positive (d1 has one strong only): P1 by the strong d1/d5
        (("d1.job_nature",) + D4_POSITIVE + D5_POSITIVE, ("possible", "P1")),
        (D4_POSITIVE + D6_POSITIVE, ("not_indicated", "none")),
        # no purpose (d4 has a strong alone): P3 by the strong d5
        (D1_POSITIVE + ("d4.excessive_hours",) + D5_POSITIVE, ("possible", "P3")),
        (D3_POSITIVE + ("d4.low_or_no_pay", "d4.bad_living") + D6_POSITIVE, ("not_indicated", "none")),
        # no destination dimension positive: P1 by the strong d1
        (D1_POSITIVE + D4_POSITIVE + ("d5.threats",), ("possible", "P1")),
        (D3_POSITIVE + D4_POSITIVE + ("d6.dependency", "d6.unknown_area"), ("not_indicated", "none")),
    ],
)
def test_an_adult_missing_one_part_of_the_combination_is_not_presumed(present, expected):
    doc = evidence(ADULT, present=present, stage="at_destination")
    assert outcome_of(doc) == expected


def test_forced_crime_that_was_declined_is_no_purpose():
    doc = evidence(ADULT, present=D1_POSITIVE + D5_POSITIVE, declined=["d5.forced_crime"], stage="at_destination")
    assert outcome_of(doc) == ("possible", "P3")


@pytest.mark.parametrize("forced", ["d5.forced_crime", "d5.forced_tasks"])
def test_being_forced_into_crime_or_refused_tasks_is_purpose_without_d4(forced):
    doc = evidence(ADULT, present=D1_POSITIVE + ("d5.confinement", forced), stage="at_destination")
    result = assess(doc)
    assert result["dimensions"]["d4"] == {"positive": False, "present": []}
    assert (result["outcome"], result["rule"]) == ("presumed", "adult_combination")


def test_consent_or_an_adult_age_does_not_clear_a_combination_met_with_urgent_flags():
    doc = evidence(
        ADULT,
        present=D1_POSITIVE + D4_POSITIVE + D5_POSITIVE,
        act=True,
        stage="after_exit",
        exploitation_forms=["labour"],
    )
    assert outcome_of(doc) == ("presumed", "adult_combination")


# --- presumed: child_exploitation (section 3, rule 1) -------------------------------


@pytest.mark.parametrize("form", ALWAYS_EXPLOITATION_FORMS)
def test_a_child_in_an_always_exploitation_form_is_presumed_even_when_the_act_is_unknown(form):
    doc = evidence(CHILD, act=None, exploitation_forms=[form])
    assert outcome_of(doc) == ("presumed", "child_exploitation")


def test_a_child_in_sexual_exploitation_is_presumed_even_when_the_act_is_unknown():
    doc = evidence({"age": None, "possibly_minor": True}, act=None, exploitation_forms=["sexual"])
    result = assess(doc)
    assert (result["outcome"], result["rule"], result["child"]) == ("presumed", "child_exploitation", True)


@pytest.mark.parametrize("form", ALWAYS_EXPLOITATION_FORMS)
def test_a_child_in_an_always_exploitation_form_with_the_act_is_presumed(form):
    doc = evidence(CHILD, act=True, exploitation_forms=["labour", form])
    assert outcome_of(doc) == ("presumed", "child_exploitation")


@pytest.mark.parametrize("form", ALWAYS_EXPLOITATION_FORMS)
def test_an_always_exploitation_form_is_not_presumed_when_no_one_arranged_or_controls_it(form):
    doc = evidence(CHILD, act=False, exploitation_forms=[form])
    assert outcome_of(doc) == ("not_indicated", "none")


@pytest.mark.parametrize("form", OTHER_FORMS)
def test_other_forms_are_not_exploitation_in_themselves_for_a_child(form):
    assert outcome_of(evidence(CHILD, act=True, exploitation_forms=[form])) == ("not_indicated", "none")
    assert outcome_of(evidence(CHILD, act=None, exploitation_forms=[form])) == ("not_indicated", "none")


@pytest.mark.parametrize("form", ALWAYS_EXPLOITATION_FORMS)
def test_an_always_exploitation_form_alone_does_not_make_an_adult_presumed(form):
    doc = evidence(ADULT, act=True, exploitation_forms=[form])
    assert outcome_of(doc) == ("not_indicated", "none")


@pytest.mark.parametrize(
    "purpose",
    [
        D4_POSITIVE,
        ("d4.low_or_no_pay", "d4.bad_living", "d4.no_education"),  # 3 M on the child list
        ("d5.forced_crime",),
        ("d5.forced_tasks",),
    ],
)
def test_a_child_with_the_act_and_an_exploitative_purpose_is_presumed_without_any_means(purpose):
    doc = evidence(CHILD, act=True, present=purpose, exploitation_forms=["labour"])
    assert outcome_of(doc) == ("presumed", "child_exploitation")


@pytest.mark.parametrize(
    "act_indicator",
    ["d1.wages", "d1.education", "d2.documents_taken", "d3.economic", "d5.wages_withheld", "d5.threat_expose"],
)
def test_a_present_recruitment_or_coercion_indicator_establishes_the_act_for_a_child(act_indicator):
    doc = evidence(CHILD, act=None, present=(act_indicator,) + D4_POSITIVE)
    assert outcome_of(doc) == ("presumed", "child_exploitation")


@pytest.mark.parametrize("act_indicator", ["d1.wages", "d3.economic", "d5.wages_withheld"])
def test_a_present_indicator_establishes_the_act_for_a_child_in_an_always_exploitation_form(act_indicator):
    doc = evidence(CHILD, act=None, present=[act_indicator], exploitation_forms=["forced_begging"])
    assert outcome_of(doc) == ("presumed", "child_exploitation")


def test_forced_crime_establishes_both_the_act_and_the_purpose_for_a_child():
    doc = evidence(CHILD, act=None, present=["d5.forced_crime"])
    assert outcome_of(doc) == ("presumed", "child_exploitation")


@pytest.mark.parametrize("act", [None, False])
def test_a_child_with_purpose_but_no_established_act_is_only_a_p6_referral(act):
    # d4 and d6 do not establish the act; d4.excessive_hours is strong but not in P1's dimensions.
    doc = evidence(CHILD, act=act, present=D4_POSITIVE + D6_POSITIVE, exploitation_forms=["labour"])
    assert outcome_of(doc) == ("possible", "P6")


@pytest.mark.parametrize("declined", [["d1.job_nature"], ["d5.confinement", "d2.violence"]])
def test_a_declined_indicator_does_not_establish_the_act_for_a_child(declined):
    doc = evidence(CHILD, act=None, present=["d4.low_or_no_pay"], declined=declined)
    assert outcome_of(doc) == ("possible", "P6")


def test_a_child_with_the_act_but_no_purpose_and_no_always_form_is_not_presumed():
    doc = evidence(CHILD, act=True, present=["d1.wages", "d1.conditions"], exploitation_forms=["labour"])
    assert outcome_of(doc) == ("possible", "P6")


def test_a_child_meeting_the_adult_combination_is_scored_by_the_child_rule():
    doc = evidence(CHILD, present=D1_POSITIVE + D4_POSITIVE + D5_POSITIVE)
    assert outcome_of(doc) == ("presumed", "child_exploitation")


# --- possible: P1 to P6 each alone (section 3, rule 2) --------------------------------


@pytest.mark.parametrize(
    ("doc", "rule"),
    [
        # P1: purpose and a strong indicator in d1, d2, d5 or d6
        (evidence(ADULT, present=["d1.job_nature", "d5.forced_crime"], stage="at_destination"), "P1"),
        (evidence(ADULT, present=["d2.violence", "d5.forced_tasks"], stage="at_destination"), "P1"),
        (evidence(ADULT, present=["d5.confinement", "d5.forced_crime"], stage="at_destination"), "P1"),
        (evidence(ADULT, present=("d5.violence",) + D4_POSITIVE, stage="after_exit"), "P1"),
        (evidence(ADULT, present=("d1.job_nature",) + D4_POSITIVE), "P1"),
        # P2: a recruitment dimension positive and met before the exploitation began
        (evidence(ADULT, present=D1_POSITIVE, stage="before_departure"), "P2"),
        (evidence(ADULT, present=D1_POSITIVE, stage="in_transit"), "P2"),
        (evidence(ADULT, present=D2_POSITIVE, stage="in_transit"), "P2"),
        (evidence(ADULT, present=D3_POSITIVE, stage="before_departure"), "P2"),
        # P3: a strong d5 indicator
        (evidence(ADULT, present=["d5.confinement"], stage="at_destination"), "P3"),
        (evidence(ADULT, present=["d5.documents_confiscated"]), "P3"),
        (evidence(ADULT, present=["d5.debt_bondage"], stage="after_exit"), "P3"),
        (evidence(ADULT, present=["d5.violence"], stage="before_departure"), "P3"),
        (evidence(ADULT, present=D5_POSITIVE + D6_POSITIVE), "P3"),
        # P4: a strong indicator while two or more were declined or unknown
        (evidence(ADULT, present=["d4.excessive_hours"], declined=["d5.confinement", "d5.violence"]), "P4"),
        (evidence(ADULT, present=["d4.excessive_hours"], unknown=["d6.dependency", "d1.wages"]), "P4"),
        (evidence(ADULT, present=["d1.job_nature"], declined=["d4.hazardous"], unknown=["d2.threats"]), "P4"),
        (evidence(ADULT, present=["d2.violence"], declined=["d3.economic", "d6.economic", "d4.labour_law"]), "P4"),
        # P5: the officer's serious concern, with a written reason
        (evidence(ADULT, officer_concern="Agent answered for her and kept her phone"), "P5"),
        (evidence(ADULT, present=["d1.wages"], officer_concern="Visible bruises"), "P5"),
        # P6: a child with any present indicator
        (evidence(CHILD, present=["d6.dependency"]), "P6"),
        (evidence(CHILD, present=["d4.no_education"]), "P6"),
        (evidence({"age": None, "possibly_minor": True}, present=["d6.past_difficulties"]), "P6"),
    ],
)
def test_each_possible_rule_fires_on_its_own(doc, rule):
    assert outcome_of(doc) == ("possible", rule)


@pytest.mark.parametrize(
    "doc",
    [
        # P1 near misses: purpose but the strong indicator is in d3/d4, or no purpose
        evidence(ADULT, present=("d4.excessive_hours", "d4.low_or_no_pay", "d4.bad_living")),
        evidence(ADULT, present=("d1.job_nature", "d4.excessive_hours"), stage="at_destination"),
        # P2 near misses: positive recruitment dimension but not met early, or early but not positive
        evidence(ADULT, present=D1_POSITIVE, stage="at_destination"),
        evidence(ADULT, present=D1_POSITIVE, stage="after_exit"),
        evidence(ADULT, present=D1_POSITIVE, stage=None),
        evidence(ADULT, present=["d1.job_nature"], stage="before_departure"),
        evidence(ADULT, present=("d3.economic", "d3.controlled"), stage="in_transit"),
        evidence(ADULT, present=D6_POSITIVE, stage="before_departure"),
        # P3 near misses: medium d5 only, strong d5 declined or unknown
        evidence(ADULT, present=["d5.threats", "d5.wages_withheld"]),
        evidence(ADULT, declined=["d5.confinement"]),
        evidence(ADULT, unknown=["d5.violence", "d5.debt_bondage"]),
        # P4 near misses: one missing only, or missing strong ones with no strong present
        evidence(ADULT, present=["d4.excessive_hours"], declined=["d5.confinement"]),
        evidence(ADULT, present=["d4.excessive_hours"], absent=["d5.confinement", "d5.violence"]),
        evidence(ADULT, present=["d4.low_or_no_pay"], declined=["d5.confinement", "d5.violence"]),
        evidence(ADULT, declined=["d5.confinement", "d5.violence", "d2.violence"], unknown=["d1.job_nature"]),
        # P5 near misses: no written reason
        evidence(ADULT, officer_concern=None),
        evidence(ADULT, officer_concern=""),
        evidence(ADULT, officer_concern="   "),
        # P6 near misses: an adult, or a child with nothing present
        evidence(ADULT, present=["d6.dependency"]),
        evidence(CHILD, declined=["d6.dependency"], unknown=["d4.hazardous"]),
        evidence(CHILD),
        # nothing at all
        {},
    ],
)
def test_without_any_rule_matching_the_outcome_is_not_indicated_with_rule_none(doc):
    assert outcome_of(doc) == ("not_indicated", "none")


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        # presumed before P1
        (
            evidence(ADULT, present=D1_POSITIVE + ("d5.confinement", "d5.forced_crime"), stage="before_departure"),
            ("presumed", "adult_combination"),
        ),
        # P1 before P2 (d1 positive and early stage too)
        (
            evidence(ADULT, present=D1_POSITIVE + ("d5.forced_crime",), stage="before_departure"),
            ("possible", "P1"),
        ),
        # P2 before P3
        (
            evidence(ADULT, present=D1_POSITIVE + ("d5.confinement",), stage="in_transit"),
            ("possible", "P2"),
        ),
        # P3 before P4
        (
            evidence(ADULT, present=["d5.confinement"], declined=["d1.wages", "d2.threats"]),
            ("possible", "P3"),
        ),
        # P4 before P5
        (
            evidence(
                ADULT,
                present=["d4.excessive_hours"],
                unknown=["d1.wages", "d2.threats"],
                officer_concern="Scared of the man waiting outside",
            ),
            ("possible", "P4"),
        ),
        # P5 before P6
        (
            evidence(CHILD, present=["d6.dependency"], officer_concern="Cannot say who she lives with"),
            ("possible", "P5"),
        ),
        # P1 to P5 all match (d5 and d6 are not positive, so no combination): P1 comes first
        (
            evidence(
                ADULT,
                present=("d1.job_nature", "d5.confinement") + D3_POSITIVE + D4_POSITIVE,
                declined=["d6.dependency", "d6.economic"],
                stage="in_transit",
                officer_concern="Concern",
            ),
            ("possible", "P1"),
        ),
    ],
)
def test_the_first_matching_rule_decides_the_outcome(doc, expected):
    assert outcome_of(doc) == expected


# --- urgent (section 3) ---------------------------------------------------------------


@pytest.mark.parametrize("reason", URGENT_ORDER)
def test_any_urgent_reason_makes_the_result_urgent(reason):
    result = assess(evidence(ADULT, urgent=[reason]))
    assert result["urgent"] is True
    assert result["urgent_reasons"] == [reason]


def test_no_urgent_reason_means_not_urgent():
    result = assess(evidence(ADULT, present=D1_POSITIVE + D4_POSITIVE + D5_POSITIVE))
    assert result["urgent"] is False
    assert result["urgent_reasons"] == []


@pytest.mark.parametrize(
    "doc",
    [
        evidence(ADULT),
        evidence(ADULT, present=D1_POSITIVE + D4_POSITIVE + D5_POSITIVE),
        evidence(ADULT, present=["d5.confinement"]),
        evidence(CHILD, act=None, exploitation_forms=["sexual_online"]),
        evidence(CHILD, present=["d6.dependency"]),
    ],
)
def test_urgent_flags_do_not_change_the_outcome(doc):
    calm = assess(doc)
    urgent = assess({**doc, "urgent": ["danger", "controller_present", "medical", "self_harm", "child_alone"]})
    assert (urgent["outcome"], urgent["rule"]) == (calm["outcome"], calm["rule"])
    assert urgent["dimensions"] == calm["dimensions"]
    assert urgent["urgent"] is True
    assert calm["urgent"] is False


def test_an_urgent_result_can_be_not_indicated():
    result = assess(evidence(ADULT, urgent=["medical"]))
    assert (result["outcome"], result["rule"], result["urgent"]) == ("not_indicated", "none", True)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (["child_alone", "danger"], ["danger", "child_alone"]),
        (["self_harm", "medical", "controller_present"], ["controller_present", "medical", "self_harm"]),
        (list(reversed(URGENT_ORDER)), URGENT_ORDER),
        (URGENT_ORDER, URGENT_ORDER),
    ],
)
def test_urgent_reasons_are_listed_in_canonical_order(given, expected):
    assert assess(evidence(ADULT, urgent=given))["urgent_reasons"] == expected


# --- the assessment document (section 4) ----------------------------------------------


def test_the_assessment_has_exactly_the_documented_shape():
    result = assess(
        evidence(
            ADULT,
            present=["d1.job_nature", "d1.wages", "d5.confinement"],
            declined=["d6.dependency"],
            unknown=["d4.hazardous"],
            absent=["d2.violence"],
        )
    )
    assert set(result) == {
        "outcome",
        "rule",
        "child",
        "urgent",
        "urgent_reasons",
        "dimensions",
        "declined",
        "unknown",
        "other_needs",
    }
    assert list(result["dimensions"]) == ["d1", "d2", "d3", "d4", "d5", "d6"]
    for value in result["dimensions"].values():
        assert set(value) == {"positive", "present"}
        assert isinstance(value["positive"], bool)
        assert isinstance(value["present"], list)
    assert result["dimensions"]["d1"] == {"positive": True, "present": ["d1.job_nature", "d1.wages"]}
    assert result["dimensions"]["d2"] == {"positive": False, "present": []}
    assert result["dimensions"]["d5"] == {"positive": False, "present": ["d5.confinement"]}
    assert result["declined"] == ["d6.dependency"]
    assert result["unknown"] == ["d4.hazardous"]
    assert isinstance(result["child"], bool)
    assert isinstance(result["urgent"], bool)


def test_the_example_evidence_of_the_model_is_assessed():
    doc = {
        "indicators": {"d1.job_nature": "present", "d5.confinement": "declined"},
        "age": 24,
        "possibly_minor": False,
        "act": True,
        "stage": "at_destination",
        "exploitation_forms": ["forced_criminality"],
        "urgent": ["danger"],
        "officer_concern": None,
    }
    result = assess(doc)
    assert result["outcome"] == "not_indicated"
    assert result["rule"] == "none"
    assert result["child"] is False
    assert result["urgent"] is True
    assert result["urgent_reasons"] == ["danger"]
    assert result["declined"] == ["d5.confinement"]
    assert result["unknown"] == []
    assert result["dimensions"]["d1"] == {"positive": False, "present": ["d1.job_nature"]}
    assert result["dimensions"]["d5"] == {"positive": False, "present": []}
    assert result["other_needs"] == ["shelter"]


def test_declined_and_unknown_are_listed_separately():
    result = assess(
        evidence(ADULT, declined=["d5.violence", "d1.wages"], unknown=["d6.economic"], absent=["d4.hazardous"])
    )
    assert sorted(result["declined"]) == ["d1.wages", "d5.violence"]
    assert result["unknown"] == ["d6.economic"]


def test_assess_does_not_change_the_evidence_it_is_given():
    doc = evidence(ADULT, present=D1_POSITIVE, absent=["d2.violence"], urgent=["self_harm", "danger"])
    before = {**doc, "indicators": dict(doc["indicators"]), "urgent": list(doc["urgent"])}
    assess(doc)
    assert doc == before


# --- other protection needs (section 5) -----------------------------------------------


@pytest.mark.parametrize(
    ("doc", "needs"),
    [
        (evidence(ADULT), []),
        (evidence(CHILD), ["child_protection"]),
        (evidence({"age": None, "possibly_minor": True}), ["child_protection"]),
        (evidence(CHILD, act=None, exploitation_forms=["sexual"]), ["child_protection"]),
        (evidence(CHILD, present=["d6.dependency"]), ["child_protection"]),
        (evidence(ADULT, needs=["injury_illness"]), ["medical"]),
        (evidence(ADULT, urgent=["medical"]), ["medical"]),
        (evidence(ADULT, needs=["distress"]), ["psychosocial"]),
        (evidence(ADULT, urgent=["self_harm"]), ["psychosocial"]),
        (evidence(ADULT, needs=["no_safe_place"]), ["shelter"]),
        (evidence(ADULT, urgent=["danger"]), ["shelter"]),
        (evidence(ADULT, needs=["fear_of_return"]), ["asylum"]),
        (evidence(ADULT, needs=["documents_missing"]), ["consular"]),
        (evidence(ADULT, present=["d2.documents_taken"]), ["consular"]),
        (evidence(ADULT, present=["d5.documents_confiscated"]), ["consular"]),
        (evidence(ADULT, declined=["d5.documents_confiscated", "d2.documents_taken"]), []),
        (evidence(ADULT, needs=["smuggled"]), ["migrant_assistance"]),
        (evidence(ADULT, needs=["smuggled"], present=["d5.confinement"]), []),
        (evidence(ADULT, present=D4_POSITIVE), ["labour_rights"]),
        (evidence(ADULT, present=["d4.low_or_no_pay"]), ["labour_rights"]),
        (evidence(ADULT, present=D4_POSITIVE + ("d1.wages",)), ["labour_rights"]),
        (evidence(ADULT, present=D4_POSITIVE + D5_POSITIVE), []),
        (evidence(ADULT, present=D4_POSITIVE + D1_POSITIVE), []),
        (evidence(ADULT, present=D4_POSITIVE + D6_POSITIVE), []),
        (evidence(ADULT, urgent=["controller_present", "child_alone"]), []),
    ],
)
def test_other_needs_map_the_answers_to_services(doc, needs):
    assert assess(doc)["other_needs"] == needs


def test_other_needs_are_listed_in_directory_order():
    doc = evidence(
        CHILD,
        present=["d4.low_or_no_pay", "d2.documents_taken"],
        needs=["smuggled", "no_safe_place", "fear_of_return", "distress", "injury_illness", "documents_missing"],
    )
    assert assess(doc)["other_needs"] == SERVICE_ORDER


def test_other_needs_are_listed_whatever_the_outcome():
    doc = evidence(
        ADULT,
        present=D1_POSITIVE + D4_POSITIVE + ("d5.documents_confiscated", "d5.violence"),
        needs=["injury_illness", "fear_of_return"],
    )
    result = assess(doc)
    assert (result["outcome"], result["rule"]) == ("presumed", "adult_combination")
    assert result["other_needs"] == ["medical", "asylum", "consular"]


def test_a_child_always_gets_child_protection_whatever_the_outcome():
    for doc in [
        evidence(CHILD, act=None, exploitation_forms=["forced_marriage"]),
        evidence(CHILD, present=["d6.dependency"]),
        evidence(CHILD),
        evidence({"age": 40, "possibly_minor": True}, present=D4_POSITIVE),
    ]:
        assert assess(doc)["other_needs"][0] == "child_protection"


# --- validating the evidence document (section 4) ------------------------------------


@pytest.mark.parametrize(
    ("doc", "named"),
    [
        ({"colour": "red"}, "colour"),
        ({"indicators": {}, "nationality": "MM"}, "nationality"),
        ({"indicators": {"d9.nothing": "present"}}, "d9.nothing"),
        ({"indicators": {"d1.job": "present"}}, "d1.job"),
        ({"indicators": {"d1.wages": "maybe"}}, "maybe"),
        ({"indicators": {"d1.wages": True}}, "d1.wages"),
        ({"indicators": {"d5.violence": None}}, "d5.violence"),
        ({"indicators": ["d1.wages"]}, "indicators"),
        ({"age": "abc"}, "age"),
        ({"age": "17"}, "age"),
        ({"age": 250}, "age"),
        ({"age": -1}, "age"),
        ({"age": 17.5}, "age"),
        ({"age": True}, "age"),
        ({"age": False}, "age"),
        ({"possibly_minor": "yes"}, "possibly_minor"),
        ({"act": "no"}, "act"),
        ({"act": 1}, "act"),
        ({"stage": "at_home"}, "at_home"),
        ({"stage": 3}, "stage"),
        ({"exploitation_forms": ["slavery"]}, "slavery"),
        ({"exploitation_forms": "sexual"}, "exploitation_forms"),
        ({"exploitation_forms": None}, "exploitation_forms"),
        ({"urgent": ["fire"]}, "fire"),
        ({"urgent": "danger"}, "urgent"),
        ({"urgent": {"danger": True}}, "urgent"),
        ({"needs": ["money"]}, "money"),
        ({"needs": "smuggled"}, "needs"),
        ({"officer_concern": 5}, "officer_concern"),
    ],
)
def test_invalid_evidence_is_rejected_with_a_message_naming_the_problem(doc, named):
    with pytest.raises(EvidenceError) as raised:
        validate_evidence(doc)
    assert named in str(raised.value)
    with pytest.raises(EvidenceError):
        assess(doc)


@pytest.mark.parametrize("doc", [None, [], "evidence", 3])
def test_evidence_that_is_not_an_object_is_rejected(doc):
    with pytest.raises(EvidenceError):
        validate_evidence(doc)


@pytest.mark.parametrize(
    "doc",
    [
        {},
        {"indicators": {}},
        {"indicators": {"d1.wages": "absent", "d2.violence": "unknown", "d5.threats": "declined"}},
        {"age": 0},
        {"age": 18},
        {"age": 99},
        {"age": None, "possibly_minor": None, "act": None, "stage": None, "officer_concern": None},
        {"possibly_minor": True, "act": False},
        {"stage": "before_departure"},
        {"stage": "in_transit"},
        {"stage": "at_destination"},
        {"stage": "after_exit"},
        {"exploitation_forms": ALWAYS_EXPLOITATION_FORMS + OTHER_FORMS},
        {"exploitation_forms": []},
        {"urgent": URGENT_ORDER},
        {"officer_concern": "Has no idea where she is"},
    ],
)
def test_valid_evidence_is_accepted(doc):
    validate_evidence(doc)
    assert assess(doc)["outcome"] in {"presumed", "possible", "not_indicated"}


def test_every_indicator_code_of_the_model_is_accepted():
    codes = {
        "d1": "job_nature wages conditions contract housing legal_status travel family_reunion "
        "marriage_adoption education",
        "d2": "violence threats abduction_sale debt_bondage documents_taken confinement threat_denounce "
        "threat_expose family_harm money_withheld",
        "d3": "family_hardship irregular_status language_education lack_information controlled economic "
        "false_migration_story false_authorities personal_situation emotional_dependency past_difficulties "
        "travel_difficulty cultural_beliefs general_context",
        "d4": "excessive_hours low_or_no_pay wage_manipulation bad_living bad_working hazardous labour_law "
        "no_social_protection no_education",
        "d5": "documents_confiscated debt_bondage confinement violence threats forced_crime forced_tasks "
        "strong_influence against_peers forced_to_lie threat_denounce threat_worse family_harm "
        "wages_withheld threat_expose",
        "d6": "dependency unknown_area economic family_pressure legal_status past_difficulties "
        "personal_characteristics",
    }
    all_codes = [f"{dim}.{name}" for dim, names in codes.items() for name in names.split()]
    assert len(all_codes) == 10 + 10 + 14 + 9 + 15 + 7
    result = assess(evidence(ADULT, present=all_codes))
    for dim, names in codes.items():
        assert sorted(result["dimensions"][dim]["present"]) == sorted(f"{dim}.{n}" for n in names.split())
        assert result["dimensions"][dim]["positive"] is True
    assert (result["outcome"], result["rule"]) == ("presumed", "adult_combination")


def test_an_indicator_off_the_child_list_does_not_establish_a_childs_act():
    evidence = {
        "age": 15,
        "indicators": {
            "d3.false_authorities": "present",
            "d4.excessive_hours": "present",
            "d4.low_or_no_pay": "present",
        },
    }
    result = assess(evidence)
    assert (result["outcome"], result["rule"]) == ("possible", "P6")


def test_a_present_coercion_sign_outweighs_a_childs_no_one_arranged_this():
    evidence = {"age": 15, "act": False, "exploitation_forms": ["sexual"], "indicators": {"d5.threat_worse": "present"}}
    assert assess(evidence)["rule"] == "child_exploitation"
