"""The fake people of the demo: a few profiles of the situations officers meet, varied at random.

Each demo person starts from one profile (a man released from a scam compound, a
domestic worker, a child in a karaoke bar, a young woman at an airport...) and is
answered through the real question bank, so the demo exercises the real rule.
"""

from screening.instrument import questionnaire
from screening.instrument.bank import NONE
from screening.instrument.logic import walk

URGENT_SHARE = 0.08
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
