"""The enumerations of the evidence document and the assessment, each value with its label.

Values are stable identifiers stored in the database and in JSON; labels are what
people read, in the interface language. See docs/screening-model.md §4-§5.
"""

from screening.i18n.lazy import lazy_gettext as _l

INDICATOR_STATUSES = {
    "present": _l("Present"),
    "absent": _l("Absent"),
    "unknown": _l("Don't know"),
    "declined": _l("Prefer not to say"),
}

STAGES = {
    "before_departure": _l("Before departure"),
    "in_transit": _l("In transit"),
    "at_destination": _l("At the destination"),
    "after_exit": _l("After leaving the situation"),
}

# The stages at which the exploitation may not have begun yet (rule P2).
EARLY_STAGES = ("before_departure", "in_transit")

EXPLOITATION_FORMS = {
    "labour": _l("Forced labour"),
    "domestic_servitude": _l("Domestic servitude"),
    "sexual": _l("Sexual exploitation"),
    "sexual_online": _l("Online sexual exploitation"),
    "forced_criminality": _l("Forced criminality (such as online scams)"),
    "forced_marriage": _l("Forced marriage"),
    "forced_begging": _l("Forced begging"),
    "organ_removal": _l("Organ removal"),
    "other": _l("Other exploitation"),
}

# How the person was recruited, in the words of the officer's result and of the
# referral, where the question's own words speak to the person ("someone you know").
CHANNELS_SPOKEN_OF = {
    "known_person": _l("A friend, a relative or someone the person knew"),
    "stranger": _l("Someone the person did not know before"),
}

# For a child these forms are exploitation in themselves (screening model §3).
ALWAYS_EXPLOITATION_FORMS = (
    "sexual",
    "sexual_online",
    "forced_criminality",
    "forced_marriage",
    "forced_begging",
    "organ_removal",
)

URGENT_REASONS = {
    "danger": _l("The person is in immediate danger"),
    "controller_present": _l("A trafficker or controller is present or nearby"),
    "medical": _l("Medical emergency"),
    "self_harm": _l("Thoughts of self-harm or suicide"),
    "child_alone": _l("A child alone"),
}

# Facts about protection needs that the answers establish. This list extends the
# evidence document of the screening model (§4 has no field for the needs of §5).
NEEDS = {
    "fear_of_return": _l("Afraid to return home"),
    "documents_missing": _l("Has no passport or ID"),
    "injury_illness": _l("Injured, ill or pregnant"),
    "distress": _l("In distress"),
    "no_safe_place": _l("No safe place to stay"),
    "smuggled": _l("Paid someone to cross a border"),
}

# Kinds of service in the referral directory (screening model §5), in the order a
# result lists them.
SERVICES = {
    "child_protection": _l("Child-protection services"),
    "medical": _l("Medical care"),
    "psychosocial": _l("Psychosocial support"),
    "shelter": _l("Shelter"),
    "asylum": _l("Asylum and refugee protection"),
    "consular": _l("Consular help"),
    "migrant_assistance": _l("Migrant assistance"),
    "labour_rights": _l("Labour-rights help"),
}

OUTCOMES = {
    "presumed": _l("Refer as a presumed victim of trafficking"),
    "possible": _l("Possible trafficking: refer for a full interview by a specialist unit"),
    "not_indicated": _l("No trafficking indicated on this screening"),
}

RULES = {
    "adult_combination": _l(
        "Recruitment (deception, coercion or abuse of vulnerability), exploitation and "
        "coercion or abuse of vulnerability at destination were all found."
    ),
    "child_exploitation": _l(
        "A child was recruited, moved or held, and exploited or placed in a form of "
        "exploitation that is always exploitation for a child."
    ),
    "P1": _l("Exploitation and at least one strong indicator of deception, coercion or abuse of vulnerability."),
    "P2": _l("Recruitment by deception, coercion or abuse of vulnerability found before the exploitation began."),
    "P3": _l("At least one strong indicator of coercion at the destination."),
    "P4": _l("A strong indicator was found while two or more answers were declined or unknown."),
    "P5": _l("The officer recorded a serious concern."),
    "P6": _l("A child with at least one indicator present."),
    "none": _l("No rule for referral as a victim of trafficking was met."),
}
# The child rule can also fire when nobody knows whether someone arranged things (screening model §3).
CHILD_RULE_ACT_UNKNOWN = _l(
    "A child was found in a form of exploitation that is always exploitation for a child; "
    "whether someone arranged it is not known yet."
)

# Who a presumed or possible victim is referred to first, before the other protection needs.
OUTCOME_REFERRALS = {
    "presumed": (
        _l("A specialist anti-trafficking unit, for protection and a full identification interview"),
        _l("Services for victims of trafficking: a safe place, care, and legal help"),
    ),
    "possible": (_l("A specialist anti-trafficking unit, for a full interview"),),
    "not_indicated": (),
}

OUTCOMES_SHORT = {
    "presumed": _l("Presumed victim"),
    "possible": _l("Possible victim"),
    "not_indicated": _l("Not indicated"),
}

# Words on question pages that the person reads, in their own language.
PERSON_PHRASES = {
    "choose_all": _l("Choose all that apply."),
    "choose": _l("Choose one"),
    "or": _l("or"),
}
# What the person may agree to share (referrals.ITEMS), as the person's own sheet names them.
ITEMS_FOR_THE_PERSON = {
    "name": _l("Your name"),
    "contact": _l("How to contact you"),
    "date_of_birth": _l("Your date of birth"),
    "nationality": _l("Your nationality"),
    "answers": _l("Your answers to our questions, and what we concluded from them"),
}
