"""Pure interview logic: which questions are visible, which page comes next, what the answers mean.

Answers are a dict of question id -> stored value (a choice value, a list of
values, a whole number, or text). An answer to a question that is hidden by a
later change, or that no longer fits the bank, is kept in storage but ignored
here, so nothing the officer entered is lost and nothing stale is scored.
"""

from screening.instrument.bank import ALTERNATIVES, EXCLUSIVE, INTERVIEW
from screening.instrument.scoring import empty_evidence, is_child


def _answer_matches(cond, value):
    if value is None:
        return False
    if "in" in cond:
        chosen = value if isinstance(value, list) else [value]
        return any(v in cond["in"] for v in chosen)
    if "lt" in cond:
        return isinstance(value, int) and value < cond["lt"]
    return False


def condition_holds(cond, answers, child):
    """Return whether a show_if condition holds for the effective answers so far."""
    if cond is None:
        return True
    if "all" in cond:
        return all(condition_holds(c, answers, child) for c in cond["all"])
    if "any" in cond:
        return any(condition_holds(c, answers, child) for c in cond["any"])
    if "not" in cond:
        return not condition_holds(cond["not"], answers, child)
    if "child" in cond:
        return child == cond["child"]
    return _answer_matches(cond, answers.get(cond["answer"]))


def is_valid_answer(question, value):
    """Return whether a stored value still fits the question (the bank may have changed)."""
    if question.kind in ("yesno", "single"):
        return value in question.values
    if question.kind == "multi":
        return (
            isinstance(value, list)
            and bool(value)
            and all(v in question.values for v in value)
            and (len(value) == 1 or not any(v in EXCLUSIVE for v in value))
        )
    if question.kind == "number":
        if value in ALTERNATIVES:
            return value in question.values
        is_number = isinstance(value, int) and not isinstance(value, bool)
        return is_number and question.minimum <= value <= question.maximum
    return isinstance(value, str) and bool(value.strip())


def _child_facts(questions):
    """Return the questions whose answers decide whether the person is treated as a child."""
    return [q for q in questions if q.evidence_field == "age" or any("possibly_minor" in c.evidence for c in q.choices)]


def walk(questions, answers):
    """Return (visible questions, effective answers) in bank order."""
    visible, effective = [], {}
    child_facts = _child_facts(questions)
    child_ids = {q.id for q in child_facts}
    child = is_child(evidence_of(child_facts, effective))
    for q in questions:
        if not condition_holds(q.show_if, effective, child):
            continue
        visible.append(q)
        value = answers.get(q.id)
        if value is not None and is_valid_answer(q, value):
            effective[q.id] = value
            if q.id in child_ids:
                child = is_child(evidence_of(child_facts, effective))
    return visible, effective


def revealed_by(questions, answers, page, target):
    """Return the (question id, value) answers on ``target``'s page that would make it visible, the others as given.

    Only answers by choice are tried: a page shows ``target`` in place, without a round trip,
    when one of these is chosen.
    """
    found = []
    for controller in page:
        if controller is target or controller.kind not in ("yesno", "single"):
            continue
        for value in controller.values:
            visible, _effective = walk(questions, {**answers, controller.id: value})
            if target in visible:
                found.append((controller.id, value))
    return found


def evidence_of(questions, effective):
    """Return the evidence document that the effective answers establish."""
    evidence = empty_evidence()
    for q in questions:
        value = effective.get(q.id)
        if value is None:
            continue
        if q.evidence_field and not (q.kind == "number" and value in ALTERNATIVES):
            evidence[q.evidence_field] = value
        for chosen in value if isinstance(value, list) else [value]:
            choice = q.choice(chosen) if isinstance(chosen, str) else None
            if choice:
                _merge(evidence, choice.evidence)
    return evidence


# When two questions speak of one indicator, the stronger statement wins.
_STATUS_RANK = {"absent": 0, "unknown": 1, "declined": 2, "present": 3}


def _merge(evidence, fragment):
    for key, value in fragment.items():
        if key == "indicators":
            for code, status in value.items():
                old = evidence["indicators"].get(code, "absent")
                if _STATUS_RANK[status] > _STATUS_RANK[old]:
                    evidence["indicators"][code] = status
        elif isinstance(value, list):
            evidence[key] = evidence[key] + [v for v in value if v not in evidence[key]]
        else:
            evidence[key] = value


def evidence_for(questions, answers):
    """Return the evidence document for stored answers, ignoring hidden or stale ones."""
    _visible, effective = walk(questions, answers)
    return evidence_of(questions, effective)


def pages(visible, sections, phase=INTERVIEW):
    """Return the pages of one phase in order, each a list of its questions, from the visible ones (``walk``)."""
    ordered = {}
    for q in visible:
        if sections[q.section].phase == phase:
            ordered.setdefault(q.page_id, []).append(q)
    return ordered


def first_unanswered(page_map, answers_effective):
    """Return the first page with a visible question not yet answered, or None."""
    for page_id, qs in page_map.items():
        if any(q.id not in answers_effective for q in qs):
            return page_id
    return None


def neighbours(page_map, page_id):
    """Return (previous page id, next page id) around ``page_id``; None at either end."""
    ids = list(page_map)
    if page_id not in ids:
        return None, None
    i = ids.index(page_id)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)
