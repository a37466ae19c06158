"""The bank as an XLSForm: ODK's own converter takes it without a warning, in every language, with every rule.

And the specialist's review export: each text in the chosen languages side by
side, with what each choice means for the scoring.
"""

import csv
import io
import shutil

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from screening import create_app
from screening.collect import xlsform
from screening.i18n.languages import LANGUAGE_NAMES
from screening.instrument import questionnaire
from screening.instrument.bank import PERSON

PERSON_CLOSED = [q.id for q in questionnaire.QUESTIONS if q.audience == PERSON and q.kind != "number"]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsform")
    app = create_app({"SCREENING_DATA_DIR": folder, "TESTING": True})
    path = folder / "screening.xlsx"
    with app.app_context():
        xlsform.write_workbook(path)
    return path


def _sheet(path, name):
    rows = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture(scope="module")
def converted(workbook):
    return convert(xlsform=str(workbook), validate=False)


def test_odks_converter_takes_the_workbook_without_an_error_or_a_warning(converted):
    assert converted.warnings == []
    assert 'id="trafficking_screening"' in converted.xform
    assert f'version="{questionnaire.VERSION}"' in converted.xform


@pytest.mark.skipif(not shutil.which("java"), reason="ODK Validate needs Java")
def test_odk_validate_runs_the_form_in_javarosa_without_a_warning(workbook):
    assert convert(xlsform=str(workbook), validate=True).warnings == []


def test_every_language_has_every_label_and_hint(workbook):
    survey = _sheet(workbook, "survey")
    languages = xlsform.languages()
    assert len(languages) == len(LANGUAGE_NAMES)
    english = "label::English (en)"
    labelled = [row for row in survey if row.get(english)]
    assert len(labelled) > len(questionnaire.QUESTIONS)
    for code in languages:
        column = f"label::{xlsform.language_column(code)}"
        assert all(row.get(column) for row in labelled), code
        hints = [row for row in survey if row.get("hint::English (en)")]
        assert all(row.get(f"hint::{xlsform.language_column(code)}") for row in hints), code
    khmer = next(row for row in survey if row["name"] == "danger_now")["label::ភាសាខ្មែរ (km)"]
    assert khmer != "Are you in danger right now?"
    assert any("\u1780" <= ch <= "\u17ff" for ch in khmer)


def test_the_consent_script_comes_first_and_the_interview_only_with_consent(workbook):
    survey = _sheet(workbook, "survey")
    names = [row["name"] for row in survey]
    assert names.index("consent_1") < names.index("consent") < names.index("danger_now")
    group = next(row for row in survey if row["name"] == "interview")
    assert group["type"] == "begin_group"
    assert group["relevant"] == "${consent} = 'yes'"
    assert names.index("officer") < names.index("consent")


def test_the_persons_questions_offer_dont_know_and_prefer_not_to_say(workbook):
    choices = _sheet(workbook, "choices")
    for qid in PERSON_CLOSED:
        values = {row["name"] for row in choices if row["list_name"] == qid}
        assert {"unknown", "declined"} <= values, qid


def test_conditions_bounds_notes_and_guidance_are_the_banks(workbook):
    survey = {row["name"]: row for row in _sheet(workbook, "survey")}
    assert survey["pressure"]["relevant"] == "${is_child} = 'no' and ${stage} != 'before_departure'"
    assert survey["child_forced"]["relevant"] == "${is_child} = 'yes'"
    assert "selected(${possibly_minor}, 'unsure')" in survey["is_child"]["calculation"]
    assert survey["age"]["constraint"] == f". >= 0 and . <= {questionnaire.BY_ID['age'].maximum}"
    assert survey["age_other"]["relevant"].startswith("string-length(string(${age})) = 0")
    assert "selected(., 'none')" in survey["deceived"]["constraint"]
    note = survey["controller_nearby_officer_note"]
    assert note["type"] == "note"
    assert note["label::English (en)"].startswith("If yes, move to a safer place")
    urgent = survey["danger_now_yes_urgent"]
    assert urgent["relevant"] == "selected(${danger_now}, 'yes')"
    assert urgent["label::English (en)"] == "The person is in immediate danger"
    assert survey["nationality"]["appearance"] == "minimal"
    assert survey["page_safety"]["appearance"] == "field-list"


def test_the_cli_writes_the_workbook_and_refuses_without_a_file(runner, tmp_path):
    target = tmp_path / "screening.xlsx"
    result = runner.invoke(args=["questionnaire", "export", "--format", "xlsform", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert questionnaire.VERSION in result.output
    assert _sheet(target, "settings")[0]["version"] == questionnaire.VERSION
    refused = runner.invoke(args=["questionnaire", "export", "--format", "xlsform"])
    assert refused.exit_code == 2
    assert "-o screening.xlsx" in refused.output


def test_the_review_puts_languages_side_by_side_with_ratings(runner):
    result = runner.invoke(args=["questionnaire", "export", "--format", "md", "--lang", "en,th,km"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "| question | Are you in danger right now? |" in text
    assert "ไทย (th)" in text
    assert "ភាសាខ្មែរ (km)" in text
    assert "Consent script" in text
    line = next(line for line in text.splitlines() if "indicator:d1.job_nature" in line and "choice job_nature" in line)
    assert "d1.job_nature S" in line
    assert "Asked when: `${is_child} = 'no'`" in text


def test_the_review_as_csv_gives_one_row_a_text_and_a_column_a_language(runner):
    result = runner.invoke(args=["questionnaire", "export", "--format", "csv", "--lang", "en,my"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    row = next(r for r in rows if r["question"] == "kept_there" and r["part"] == "choice dependency")
    assert row["evidence"] == "indicator:d6.dependency"
    assert row["adult"] == "d6.dependency M"
    assert row["child"] == "d6.dependency M"
    assert row["English (en)"]
    assert row["မြန်မာ (my)"]
    assert row["English (en)"] != row["မြန်မာ (my)"]
    assert [r["part"] for r in rows if r["question"] == "danger_now"] == [
        "question",
        "hint",
        "choice yes",
        "choice no",
        "choice unknown",
        "choice declined",
    ]


def test_an_unknown_language_is_refused_by_name(runner):
    result = runner.invoke(args=["questionnaire", "export", "--format", "md", "--lang", "en,xx"])
    assert result.exit_code == 2
    assert "unknown language xx" in result.output
