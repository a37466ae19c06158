"""docs/screening-model.md and the code say the same: every indicator with its ratings, every rule, every value."""

import json
import re
from pathlib import Path

from screening.instrument.indicators import INDICATORS
from screening.instrument.scoring import EVIDENCE_KEYS
from screening.instrument.vocabulary import (
    ALWAYS_EXPLOITATION_FORMS,
    EXPLOITATION_FORMS,
    NEEDS,
    RULES,
    SERVICES,
    STAGES,
    URGENT_REASONS,
)

DOCUMENT = (Path(__file__).resolve().parent.parent / "docs" / "screening-model.md").read_text()
ROW = re.compile(r"^\| (d[1-6]\.[a-z_]+) \| .* \| ([SMW]) \| ([SMW-]) \|$", re.M)
ASSESSMENT_KEYS = (
    "outcome",
    "rule",
    "child",
    "urgent",
    "urgent_reasons",
    "dimensions",
    "declined",
    "unknown",
    "other_needs",
)


def test_the_indicator_tables_of_the_document_are_the_indicator_table_of_the_code():
    rows = ROW.findall(DOCUMENT)
    documented = [(code, adult, None if child == "-" else child) for code, adult, child in rows]
    assert len(documented) == len({code for code, _a, _c in documented}), "an indicator is listed twice"
    in_code = [(i.code, i.adult, i.child) for i in INDICATORS.values()]
    assert documented == in_code


def test_each_dimension_has_its_own_table_in_the_order_of_the_code():
    headings = re.findall(r"^### (d[1-6]) ", DOCUMENT, re.M)
    assert headings == ["d1", "d2", "d3", "d4", "d5", "d6"]


def test_every_rule_key_and_value_of_the_code_is_named_in_the_document():
    prose = re.sub(r"```.*?```", "", DOCUMENT, flags=re.S)
    named = set(re.findall(r"`([^`]+)`", prose))
    for values in (RULES, STAGES, EXPLOITATION_FORMS, URGENT_REASONS, NEEDS, SERVICES):
        assert set(values) <= named, set(values) - named
    assert set(ALWAYS_EXPLOITATION_FORMS) <= named
    assert set(EVIDENCE_KEYS) <= named
    assert set(ASSESSMENT_KEYS) <= named
    assert {"presumed", "possible", "not_indicated"} <= named


def test_the_json_examples_are_valid_and_use_only_keys_the_code_knows():
    blocks = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", DOCUMENT, re.S)]
    evidence = next(block for block in blocks if "indicators" in block)
    assessment = next(block for block in blocks if "outcome" in block)
    assert set(evidence) <= set(EVIDENCE_KEYS)
    assert set(evidence["indicators"]) <= set(INDICATORS)
    assert set(assessment) <= set(ASSESSMENT_KEYS)
