"""The bank's sheets: read as XLSForm says, refused with the sheet, row and column of a fault.

A faulty bank is the real sheets copied and changed in one cell, so that the only
thing wrong with it is the fault under test.
"""

import csv
import io
import shutil

import pytest

from screening.instrument import questionnaire
from screening.instrument.bank import BankError, validate_bank
from screening.instrument.relevant import ExpressionError, parse, write
from screening.instrument.sheets import SHEETS, SheetError, extract, load


def _read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def sheets(tmp_path):
    folder = tmp_path / "xlsform"
    shutil.copytree(SHEETS, folder)
    return folder


def changed(folder, sheet, where, column, value):
    """Set one cell of ``sheet`` (the first row where ``where`` holds) and return the load error."""
    rows = _read(folder / sheet)
    index = next(i for i, row in enumerate(rows) if all(row[k] == v for k, v in where.items()))
    rows[index][column] = value
    _write(folder / sheet, rows)
    with pytest.raises(SheetError) as caught:
        load(folder)
    return str(caught.value), index + 2


def test_the_sheets_are_the_bank_the_interview_runs():
    sheets = load()
    assert [q.id for q in sheets.questions] == [q.id for q in questionnaire.QUESTIONS]
    assert str(sheets.consent_question) == "Do you agree to answer some questions?"
    assert len(sheets.consent_script) == 6
    assert sheets.settings["form_id"] == "trafficking_screening"


def test_a_copy_of_the_sheets_loads_to_the_same_bank(sheets):
    assert load(sheets).questions == load().questions


def test_every_relevant_expression_reads_and_is_written_back_as_it_was():
    multiple = {q.id for q in questionnaire.QUESTIONS if q.kind == "multi"}
    for row in _read(SHEETS / "survey.csv"):
        if row["relevant"]:
            assert write(parse(row["relevant"]), multiple) == row["relevant"], row["name"]


@pytest.mark.parametrize(
    ("text", "predicate"),
    [
        ("${stage} != 'before_departure'", {"not": {"answer": "stage", "in": ["before_departure"]}}),
        ("${stage} = 'a' or ${stage} = 'b'", {"answer": "stage", "in": ["a", "b"]}),
        ("selected(${channel}, 'agent')", {"answer": "channel", "in": ["agent"]}),
        ("${age} < 18", {"answer": "age", "lt": 18}),
        ("${age} >= 18", {"not": {"answer": "age", "lt": 18}}),
        ("${is_child} = 'no'", {"child": False}),
        (
            "${is_child} = 'yes' and (${a} = 'x' or ${b} = 'y')",
            {"all": [{"child": True}, {"any": [{"answer": "a", "in": ["x"]}, {"answer": "b", "in": ["y"]}]}]},
        ),
        ('not(${a} = "x")', {"not": {"answer": "a", "in": ["x"]}}),
    ],
)
def test_relevant_expressions_read_as_the_predicates_the_interview_uses(text, predicate):
    assert parse(text) == predicate


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("${age} > 17", "${age} < N or ${age} >= N"),
        ("${a} = 'x' ${b} = 'y'", "join conditions with 'and' or 'or'"),
        ("${is_child} = 'maybe'", "'yes' or 'no'"),
        ("${a} = ", "expected 'a value'"),
        ("count(${a}) > 1", "expected ${name}"),
        ("${a} = 'x' and", "expected ${name}"),
    ],
)
def test_an_expression_the_bank_cannot_read_is_refused_saying_what_is_allowed(text, says):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert says in str(caught.value)


@pytest.mark.parametrize(
    ("sheet", "where", "column", "value", "says"),
    [
        ("survey.csv", {"name": "pressure"}, "relevant", "${is_child} = 'no' and", "column relevant: expected"),
        ("survey.csv", {"name": "danger_now"}, "type", "select_one nowhere", "column type: no list 'nowhere'"),
        ("survey.csv", {"name": "danger_now"}, "type", "range", "column type: 'range' is not one of"),
        ("survey.csv", {"name": "age"}, "max", "many", "column max: 'many' is not a whole number"),
        ("survey.csv", {"name": "danger_now"}, "audience", "police", "column audience: 'police'"),
        ("survey.csv", {"name": "danger_now"}, "label", "", "column label: empty"),
        ("survey.csv", {"name": "age"}, "min", "5", "column constraint: write '. >= 5 and . <= 120'"),
        ("survey.csv", {"name": "danger_now"}, "required", "", "column required: write yes"),
        ("choices.csv", {"list_name": "danger_now", "name": "yes"}, "evidence", "urgent", "column evidence: 'urgent'"),
        ("choices.csv", {"list_name": "deceived", "name": "wages"}, "evidence", "mood:low", "unknown evidence 'mood'"),
        (
            "choices.csv",
            {"list_name": "deceived", "name": "wages"},
            "evidence",
            "indicator:d1.wages=maybe",
            "'maybe' is not one of present",
        ),
    ],
)
def test_a_faulty_cell_is_named_by_sheet_row_and_column(sheets, sheet, where, column, value, says):
    message, row = changed(sheets, sheet, where, column, value)
    assert message.startswith(f"{sheet}, row {row}")
    assert says in message


def test_the_persons_question_without_dont_know_is_refused(sheets):
    rows = [r for r in _read(sheets / "choices.csv") if not (r["list_name"] == "danger_now" and r["name"] == "unknown")]
    _write(sheets / "choices.csv", rows)
    with pytest.raises(SheetError, match=r"survey.csv, row \d+, column type: the person's question needs unknown"):
        load(sheets)


def test_a_fault_in_meaning_is_still_named_by_question(sheets):
    rows = _read(sheets / "choices.csv")
    for row in rows:
        if row["list_name"] == "deceived" and row["name"] == "wages":
            row["evidence"] = "indicator:d9.made_up"
    _write(sheets / "choices.csv", rows)
    sheet = load(sheets)
    with pytest.raises(BankError, match="question 'deceived', choice 'wages'"):
        validate_bank(sheet.questions, sheet.sections)


def test_dont_know_marks_every_indicator_of_its_list():
    deceived = questionnaire.BY_ID["deceived"]
    signs = [c for c in deceived.choices if c.value not in ("unknown", "declined")]
    codes = [code for c in signs for code in c.evidence.get("indicators", {})]
    assert len(codes) >= 5
    assert deceived.choice("unknown").evidence == {"indicators": {code: "unknown" for code in codes}}
    assert deceived.choice("declined").evidence == {"indicators": {code: "declined" for code in codes}}


def test_the_extractor_gives_pybabel_every_label_hint_and_note():
    source = (SHEETS / "survey.csv").read_bytes()
    found = {message for _line, _func, message, _comments in extract(io.BytesIO(source), (), (), {})}
    assert "Are you in danger right now?" in found
    assert "If yes, move to a safer place before you go on, if you can." in found
    assert "If you are not sure, that is fine." in found
    assert "select_one danger_now" not in found
    choices = (SHEETS / "choices.csv").read_bytes()
    assert "No nationality (stateless)" in {m for _l, _f, m, _c in extract(io.BytesIO(choices), (), (), {})}
