"""Explanations of a result, generated from the same data the rule ran on.

The result page (and later the referral) never writes its own account of why a
result came out as it did: it reads the assessment and the evidence, and turns
codes into words in the interface language here.
"""

from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument import questionnaire
from screening.instrument.bank import ALTERNATIVES, NONE
from screening.instrument.indicators import DIMENSIONS, INDICATORS
from screening.instrument.scoring import child_act
from screening.instrument.vocabulary import (
    CHANNELS_SPOKEN_OF,
    CHILD_RULE_ACT_UNKNOWN,
    EXPLOITATION_FORMS,
    OUTCOME_REFERRALS,
    OUTCOMES,
    RULES,
    SERVICES,
    STAGES,
    URGENT_REASONS,
)

RATING_WORDS = {"S": _l("strong"), "M": _l("medium"), "W": _l("weak")}

# What the officer does first for each urgent reason: safety before screening.
URGENT_ACTIONS = {
    "danger": _l("Move the person to a safe place and call the emergency services if needed."),
    "controller_present": _l("Separate the person from anyone with them; do not let the controller listen."),
    "medical": _l("Get medical help now; the screening can wait."),
    "self_harm": _l("Stay with the person and call a health worker or counsellor."),
    "child_alone": _l("Call child protection now and keep the child in a safe place with you."),
}


def dimension_rows(assessment):
    """Return one row per dimension: label, positive, and the present indicators in words."""
    child = assessment["child"]
    rows = []
    for code, (label, _element) in DIMENSIONS.items():
        dim = assessment["dimensions"][code]
        present = [
            {
                "code": c,
                "text": INDICATORS[c].text,
                "rating": RATING_WORDS[INDICATORS[c].rating(child)],
            }
            for c in dim["present"]
        ]
        rows.append({"code": code, "label": label, "positive": dim["positive"], "present": present})
    return rows


def indicator_texts(codes):
    """Return the words for a list of indicator codes."""
    return [INDICATORS[c].text for c in codes]


def answer_text(question, value):
    """Return what an answer says, in words, for the check page and summaries."""
    if isinstance(value, list):
        return [str(question.choice(v).text) for v in value if question.choice(v)]
    if isinstance(value, int) and not isinstance(value, bool):
        return [str(value)]
    choice = question.choice(value) if isinstance(value, str) else None
    return [str(choice.text)] if choice else [value]


def explain(assessment, evidence, answers):
    """Return everything the result page shows, in words."""
    channel = questionnaire.FACTS["channel"]
    chosen = answers.get(channel.id, [])
    channels = [v for v in chosen if channel.choice(v) and v not in (NONE, *ALTERNATIVES)]
    rule = RULES[assessment["rule"]]
    if assessment["rule"] == "child_exploitation":
        dims = {code: {"present": dim["present"]} for code, dim in assessment["dimensions"].items()}
        if child_act(evidence, dims) is None:
            rule = CHILD_RULE_ACT_UNKNOWN
    return {
        "outcome": OUTCOMES[assessment["outcome"]],
        "rule": rule,
        "refer": [*OUTCOME_REFERRALS[assessment["outcome"]], *(SERVICES[s] for s in assessment["other_needs"])],
        "dimensions": dimension_rows(assessment),
        "declined": indicator_texts(assessment["declined"]),
        "unknown": indicator_texts(assessment.get("unknown", [])),
        "needs": [SERVICES[s] for s in assessment["other_needs"]],
        "urgent": [(URGENT_REASONS[r], URGENT_ACTIONS[r]) for r in assessment["urgent_reasons"]],
        "forms": [EXPLOITATION_FORMS[f] for f in evidence["exploitation_forms"]],
        "stage": STAGES.get(evidence["stage"]),
        "channels": [CHANNELS_SPOKEN_OF.get(v, channel.choice(v).text) for v in channels],
        "concern": evidence["officer_concern"],
    }
