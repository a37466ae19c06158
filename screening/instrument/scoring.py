"""The decision rule: a pure function from an evidence document to an assessment.

It follows docs/screening-model.md §3 (the rule) and §4 (the documents)
exactly; where it extends them (the ``needs`` field, the ``unknown`` list) it says
so. Both documents are plain JSON so that anyone can audit a result by hand.
"""

from screening.instrument.indicators import DIMENSIONS, INDICATORS, STRONG, WEAK
from screening.instrument.vocabulary import (
    ALWAYS_EXPLOITATION_FORMS,
    EARLY_STAGES,
    EXPLOITATION_FORMS,
    INDICATOR_STATUSES,
    NEEDS,
    STAGES,
    URGENT_REASONS,
)

ADULT_AGE = 18
MAX_AGE = 120
MEANS_RECRUITMENT = ("d1", "d2", "d3")
MEANS_DESTINATION = ("d5", "d6")
# Dimensions whose present indicators establish the act for a child (§3, "Act").
CHILD_ACT_DIMENSIONS = ("d1", "d2", "d3", "d5")
PURPOSE_BY_FORCE = ("d5.forced_crime", "d5.forced_tasks")
# Two or more declined or unknown indicators make a strong one worth a full interview (P4).
P4_MIN_MISSING = 2

EVIDENCE_KEYS = (
    "indicators",
    "age",
    "possibly_minor",
    "act",
    "stage",
    "exploitation_forms",
    "urgent",
    "officer_concern",
    "needs",
)


class EvidenceError(ValueError):
    """An evidence document that does not follow the screening model §4."""


def empty_evidence():
    """Return the evidence document of a screening with no answers."""
    return {
        "indicators": {},
        "age": None,
        "possibly_minor": None,
        "act": None,
        "stage": None,
        "exploitation_forms": [],
        "urgent": [],
        "officer_concern": None,
        "needs": [],
    }


def _check_list(doc, key, allowed):
    value = doc.get(key, [])
    if not isinstance(value, list):
        raise EvidenceError(f"'{key}' must be a list")
    for item in value:
        if item not in allowed:
            raise EvidenceError(f"'{key}' has an unknown value {item!r}; allowed: {', '.join(allowed)}")
    return [v for v in allowed if v in value]


def _check_optional_bool(doc, key):
    value = doc.get(key)
    if value is not None and not isinstance(value, bool):
        raise EvidenceError(f"'{key}' must be true, false or null")
    return value


def validate_evidence(doc):
    """Return a complete, normalised copy of an evidence document, or raise EvidenceError."""
    if not isinstance(doc, dict):
        raise EvidenceError("the evidence document must be a JSON object")
    for key in doc:
        if key not in EVIDENCE_KEYS:
            raise EvidenceError(f"unknown key {key!r}; allowed: {', '.join(EVIDENCE_KEYS)}")
    evidence = empty_evidence()
    indicators = doc.get("indicators", {})
    if not isinstance(indicators, dict):
        raise EvidenceError("'indicators' must be an object of code -> status")
    for code, status in indicators.items():
        if code not in INDICATORS:
            raise EvidenceError(f"'indicators' has an unknown indicator code {code!r}")
        if status not in INDICATOR_STATUSES:
            raise EvidenceError(
                f"indicator {code!r} has an unknown status {status!r}; allowed: {', '.join(INDICATOR_STATUSES)}"
            )
    evidence["indicators"] = {c: s for c, s in indicators.items() if s != "absent"}
    age = doc.get("age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE):
        raise EvidenceError(f"'age' must be a whole number from 0 to {MAX_AGE}, or null")
    evidence["age"] = age
    evidence["possibly_minor"] = _check_optional_bool(doc, "possibly_minor")
    evidence["act"] = _check_optional_bool(doc, "act")
    stage = doc.get("stage")
    if stage is not None and stage not in STAGES:
        raise EvidenceError(f"'stage' has an unknown value {stage!r}; allowed: {', '.join(STAGES)}")
    evidence["stage"] = stage
    evidence["exploitation_forms"] = _check_list(doc, "exploitation_forms", list(EXPLOITATION_FORMS))
    evidence["urgent"] = _check_list(doc, "urgent", list(URGENT_REASONS))
    evidence["needs"] = _check_list(doc, "needs", list(NEEDS))
    concern = doc.get("officer_concern")
    if concern is not None and not isinstance(concern, str):
        raise EvidenceError("'officer_concern' must be a written reason or null")
    evidence["officer_concern"] = concern.strip() if concern and concern.strip() else None
    return evidence


def is_child(evidence):
    """Return whether the person is treated as a child: under 18, or possibly so."""
    age = evidence.get("age")
    return (age is not None and age < ADULT_AGE) or bool(evidence.get("possibly_minor"))


def dimension_is_positive(ratings):
    """Return whether a dimension's present ratings meet the combination rule of §3."""
    strong = ratings.count(STRONG)
    weak = ratings.count(WEAK)
    medium = len(ratings) - strong - weak
    return strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)


def _dimensions(present, child):
    result = {}
    for dim in DIMENSIONS:
        codes = [c for c, i in INDICATORS.items() if i.dimension == dim and c in present]
        ratings = [r for r in (INDICATORS[c].rating(child) for c in codes) if r]
        counted = [c for c in codes if INDICATORS[c].rating(child)]
        result[dim] = {"positive": dimension_is_positive(ratings), "present": counted}
    return result


def _has_strong(present, child, dims):
    return any(INDICATORS[c].dimension in dims and INDICATORS[c].rating(child) == STRONG for c in present)


def child_act(evidence, dims):
    """Return True when someone recruited, moved or harboured the child, False when ruled out.

    A present indicator of d1, d2, d3 or d5 on the child list establishes the act
    even against an explicit "no one arranged this": the specific fact outweighs
    the general denial, and a child is given the benefit of the doubt.
    """
    if evidence.get("act") or any(dims[d]["present"] for d in CHILD_ACT_DIMENSIONS):
        return True
    return evidence.get("act")


def _rule(evidence, dims, present, missing, child):
    positive = {d for d, v in dims.items() if v["positive"]}
    purpose = "d4" in positive or any(c in present for c in PURPOSE_BY_FORCE)
    if child:
        act = child_act(evidence, dims)
        always = any(f in ALWAYS_EXPLOITATION_FORMS for f in evidence["exploitation_forms"])
        if (act and (purpose or always)) or (act is None and always):
            return "presumed", "child_exploitation"
    elif positive & set(MEANS_RECRUITMENT) and purpose and positive & set(MEANS_DESTINATION):
        return "presumed", "adult_combination"
    checks = (
        ("P1", purpose and _has_strong(present, child, ("d1", "d2", "d5", "d6"))),
        ("P2", bool(positive & set(MEANS_RECRUITMENT)) and evidence["stage"] in EARLY_STAGES),
        ("P3", _has_strong(present, child, ("d5",))),
        ("P4", _has_strong(present, child, tuple(DIMENSIONS)) and len(missing) >= P4_MIN_MISSING),
        ("P5", bool(evidence["officer_concern"])),
        ("P6", child and any(v["present"] for v in dims.values())),
    )
    for name, fired in checks:
        if fired:
            return "possible", name
    return "not_indicated", "none"


def _other_needs(evidence, dims, child):
    """Map what the answers show onto kinds of service (screening model §5)."""
    needs = set(evidence["needs"])
    urgent = set(evidence["urgent"])
    present = {c for c, s in evidence["indicators"].items() if s == "present"}
    means_positive = any(dims[d]["positive"] for d in ("d1", "d2", "d3", "d5", "d6"))
    wanted = {
        "child_protection": child,
        "medical": "injury_illness" in needs or "medical" in urgent,
        "psychosocial": "distress" in needs or "self_harm" in urgent,
        "shelter": "no_safe_place" in needs or "danger" in urgent,
        "asylum": "fear_of_return" in needs,
        "consular": "documents_missing" in needs or bool(present & {"d2.documents_taken", "d5.documents_confiscated"}),
        "migrant_assistance": "smuggled" in needs and "d5.confinement" not in present,
        "labour_rights": bool(dims["d4"]["present"]) and not means_positive,
    }
    return [service for service, yes in wanted.items() if yes]


def assess(evidence):
    """Return the assessment of a (validated) evidence document."""
    evidence = validate_evidence(evidence)
    child = is_child(evidence)
    statuses = evidence["indicators"]
    present = [c for c in INDICATORS if statuses.get(c) == "present"]
    declined = [c for c in INDICATORS if statuses.get(c) == "declined"]
    unknown = [c for c in INDICATORS if statuses.get(c) == "unknown"]
    dims = _dimensions(set(present), child)
    outcome, rule = _rule(evidence, dims, present, declined + unknown, child)
    return {
        "outcome": outcome,
        "rule": rule,
        "child": child,
        "urgent": bool(evidence["urgent"]),
        "urgent_reasons": evidence["urgent"],
        "dimensions": dims,
        "declined": declined,
        "unknown": unknown,
        "other_needs": _other_needs(evidence, dims, child),
    }
