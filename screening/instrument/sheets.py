"""The question bank's source: XLSForm-style sheets kept as CSV, read into questions and checked.

``xlsform/`` holds four sheets a specialist can open in any spreadsheet:

- ``survey.csv``: one row a question, in XLSForm's columns (type, name, label,
  hint, relevant, constraint, required) and this project's (section, page,
  audience, officer_note, evidence_field, fact, appearance, min, max). The
  constraint follows from the type, min and max and must say so; every question
  is required (the person's own questions offer "don't know"). ``note`` rows of the consent
  section are the consent script, read aloud before the first question; the
  ``select_one consent`` row is the consent question; the ``is_child``
  calculation is what ``${is_child}`` means in ODK (the app uses the screening
  model's own rule, scoring.is_child).
- ``choices.csv``: list_name, name, label, evidence. Evidence is what a choice
  adds to the evidence document, in words separated by spaces:
  ``indicator:d5.confinement`` (present) or ``indicator:d5.confinement=unknown``,
  ``urgent:danger``, ``stage:at_destination``, ``possibly_minor:true``. A
  ``unknown`` or ``declined`` choice with no evidence of its own marks every
  indicator of its list as unknown or declined.
- ``sections.csv``: name, label, phase (``consent``, ``interview``, or
  ``observations`` for the officer's pages after the check page).
- ``settings.csv``: form_title, form_id, default_language.

Errors name the sheet, the row as a spreadsheet numbers it, and the column.
Labels, hints and notes are English message ids: the catalogs translate them,
and ``extract`` lets pybabel find them.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument.bank import (
    ALTERNATIVES,
    DECLINED,
    OFFICER,
    PERSON,
    UNKNOWN,
    BankError,
    Choice,
    Question,
    Section,
    alternatives,
    indicator_codes,
)
from screening.instrument.relevant import CHILD, ExpressionError, constraint, parse
from screening.instrument.scoring import empty_evidence

SHEETS = Path(__file__).with_name("xlsform")
CONSENT = "consent"
TRANSLATED = ("label", "hint", "officer_note")
KINDS = {"select_one": "single", "select_multiple": "multi", "integer": "number", "text": "text"}
_STATUSES = ("present", "unknown", "declined", "absent")


class SheetError(BankError):
    """A sheet cell the bank cannot read: the message names the sheet, row and column."""


@dataclass(frozen=True)
class Sheets:
    """The bank as read from its sheets."""

    sections: dict
    consent_script: tuple
    consent_question: object
    questions: list
    settings: dict


def _rows(folder, name):
    path = folder / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def _text(value):
    value = (value or "").strip()
    return _l(value) if value else None


def _evidence(words, where):
    """Return the evidence fragment that a choice's evidence cell states."""
    evidence, empty = {}, empty_evidence()
    for word in words.split():
        key, sep, value = word.partition(":")
        if not sep or not value:
            raise SheetError(f"{where}: {word!r} is not key:value")
        if key == "indicator":
            code, _eq, status = value.partition("=")
            if (status or "present") not in _STATUSES:
                raise SheetError(f"{where}: {status!r} is not one of {', '.join(_STATUSES)}")
            evidence.setdefault("indicators", {})[code] = status or "present"
        elif key not in empty or key == "indicators":
            raise SheetError(f"{where}: unknown evidence {key!r}; known: indicator, {', '.join(list(empty)[1:])}")
        elif isinstance(empty[key], list):
            evidence.setdefault(key, []).append(value)
        else:
            evidence[key] = {"true": True, "false": False}.get(value, value)
    return evidence


def _lists(folder):
    lists = {}
    for row_number, row in _rows(folder, "choices.csv"):
        where = f"choices.csv, row {row_number}"
        name = (row.get("name") or "").strip()
        if not name or not (row.get("label") or "").strip():
            raise SheetError(f"{where}, column {'name' if not name else 'label'}: empty")
        evidence = _evidence(row.get("evidence") or "", f"{where}, column evidence")
        lists.setdefault((row.get("list_name") or "").strip(), []).append((name, _text(row["label"]), evidence))
    out = {}
    for list_name, rows in lists.items():
        codes = indicator_codes([Choice(v, t, e) for v, t, e in rows])
        out[list_name] = tuple(
            Choice(v, t, e or ({"indicators": {c: v for c in codes}} if v in ALTERNATIVES and codes else {}))
            for v, t, e in rows
        )
    return out


def _kind(type_word, choices):
    kind = KINDS[type_word]
    if kind == "single" and [c.value for c in choices if c.value not in ALTERNATIVES] == ["yes", "no"]:
        return "yesno"
    return kind


def _number(row, column, where):
    value = (row.get(column) or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise SheetError(f"{where}, column {column}: {value!r} is not a whole number")
    return int(value)


def _question(row, where, lists):
    type_word, _sp, list_name = (row.get("type") or "").strip().partition(" ")
    if type_word not in KINDS:
        raise SheetError(f"{where}, column type: {row.get('type')!r} is not one of note, calculate, {', '.join(KINDS)}")
    choices = ()
    if type_word.startswith("select"):
        if list_name not in lists:
            raise SheetError(f"{where}, column type: no list {list_name!r} in choices.csv")
        choices = lists[list_name]
    audience = (row.get("audience") or PERSON).strip()
    if audience not in (PERSON, OFFICER):
        raise SheetError(f"{where}, column audience: {audience!r} is not {PERSON} or {OFFICER}")
    kind = _kind(type_word, choices)
    if audience == PERSON and kind == "number":
        choices = alternatives([])
    elif audience == PERSON and not {UNKNOWN, DECLINED} <= {c.value for c in choices} and kind != "text":
        raise SheetError(f"{where}, column type: the person's question needs {UNKNOWN} and {DECLINED} choices")
    minimum, maximum = _number(row, "min", where), _number(row, "max", where)
    expected = constraint(kind, minimum, maximum)
    if (row.get("constraint") or "").strip() != expected:
        raise SheetError(f"{where}, column constraint: write {expected!r} (it follows the type, min and max)")
    if (row.get("required") or "").strip() != "yes":
        raise SheetError(f'{where}, column required: write yes (the person may answer "don\'t know")')
    relevant = (row.get("relevant") or "").strip()
    try:
        show_if = parse(relevant) if relevant else None
    except ExpressionError as exc:
        raise SheetError(f"{where}, column relevant: {exc}") from exc
    return Question(
        row["name"].strip(),
        (row.get("section") or "").strip(),
        kind,
        _text(row.get("label")),
        choices,
        hint=_text(row.get("hint")),
        officer_note=_text(row.get("officer_note")),
        show_if=show_if,
        evidence_field=(row.get("evidence_field") or "").strip() or None,
        audience=audience,
        page=(row.get("page") or "").strip() or None,
        minimum=minimum,
        maximum=maximum,
        fact=(row.get("fact") or "").strip() or None,
        appearance=(row.get("appearance") or "").strip() or None,
    )


def load(folder=SHEETS):
    """Return the bank as its sheets state it; raise SheetError naming the sheet, row and column."""
    folder = Path(folder)
    sections = {
        row["name"].strip(): Section(row["name"].strip(), _text(row["label"]), (row.get("phase") or "").strip())
        for _n, row in _rows(folder, "sections.csv")
    }
    lists = _lists(folder)
    script, consent_question, questions = [], None, []
    for row_number, row in _rows(folder, "survey.csv"):
        where = f"survey.csv, row {row_number}"
        type_word = (row.get("type") or "").strip()
        for column in ("name", "label")[: 1 if type_word == "calculate" else 2]:
            if not (row.get(column) or "").strip():
                raise SheetError(f"{where}, column {column}: empty")
        if (row.get("section") or "").strip() == CONSENT:
            if type_word == "note":
                script.append(_text(row["label"]))
            elif row["name"].strip() == CONSENT:
                consent_question = _text(row["label"])
            continue
        if type_word == "calculate":
            if row["name"].strip() != CHILD:
                raise SheetError(f"{where}, column name: the only calculation the bank reads is {CHILD}")
            continue
        questions.append(_question(row, where, lists))
    if not script or consent_question is None:
        raise SheetError("survey.csv: the consent section needs its note rows and the consent question")
    settings = dict(_rows(folder, "settings.csv")[0][1])
    return Sheets(sections, tuple(script), consent_question, questions, settings)


def extract(fileobj, keywords, comment_tags, options):
    """Babel extractor: yield every label, hint and officer note of a sheet for translation."""
    reader = csv.DictReader(io.TextIOWrapper(fileobj, encoding="utf-8", newline=""))
    for row_number, row in enumerate(reader, start=2):
        for column in TRANSLATED:
            text = (row.get(column) or "").strip()
            if text:
                yield row_number, "_l", text, []
