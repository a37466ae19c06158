"""The question bank as an XLSForm workbook, so that ODK Collect, KoboToolbox and Enketo run the same screening offline.

The workbook has a label and a hint column for every language with a catalog
(``label::ភាសាខ្មែរ (km)``), filled from the catalogs, so the person hears the
questions in their language; the consent script, the officer's notes and the
guidance for an urgent answer are notes; pages are ``field-list`` groups; the
child path and every other condition are ``relevant`` expressions; the age
has its bounds as a ``constraint`` and "don't know" or "prefer not to say" as a
question of its own when no age is entered; the settings name the form, its
version (the bank's), the default language and, unless told otherwise, the
installation's public key, so that every submission is encrypted on the phone
(collect/encryption.py).
"""

from flask_babel import force_locale
from openpyxl import Workbook

from screening.collect.intake import BANK_VERSION
from screening.forms.interview import INTERPRETER
from screening.i18n.languages import ALL_LOCALES, LANGUAGE_NAMES, SOURCE_LOCALE, has_catalog
from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument import questionnaire
from screening.instrument.bank import alternatives
from screening.instrument.explain import URGENT_ACTIONS
from screening.instrument.relevant import CHILD, constraint, write
from screening.instrument.vocabulary import URGENT_REASONS

MULTIPLE = frozenset(q.id for q in questionnaire.QUESTIONS if q.kind == "multi")
TYPES = {"yesno": "select_one", "single": "select_one", "multi": "select_multiple", "number": "integer", "text": "text"}
# The bank's appearances in ODK's words: a drop-down list, choices in columns.
APPEARANCES = {"list": "minimal", "columns": "columns"}
CHILD_RULE = (
    "if(${age} < 18 or selected(${possibly_minor}, 'yes') or selected(${possibly_minor}, 'unsure'), 'yes', 'no')"
)
AGE_OTHER = "age_other"
EXCLUSIVE_MESSAGE = _l("'None of these', 'Don't know' and 'Prefer not to say' cannot be chosen with other answers")
AGE_OTHER_TEXT = _l("Enter an age, or choose 'Don't know' or 'Prefer not to say'")
CONSENTED = "${consent} = 'yes'"


def languages():
    """Return the codes of the languages the workbook carries: every one with a catalog."""
    return [code for code in ALL_LOCALES if code == SOURCE_LOCALE or has_catalog(code)]


def language_column(code):
    """Return a language as XLSForm names it: its own name and its primary IANA subtag (zh_Hans is "zh")."""
    return f"{LANGUAGE_NAMES[code]} ({code.split('_')[0]})"


def _column(kind, code):
    return f"{kind}::{language_column(code)}"


def _texts(kind, text, langs):
    if text is None:
        return {}
    out = {}
    for code in langs:
        with force_locale(code):
            out[_column(kind, code)] = str(text)
    return out


class _Sheet:
    def __init__(self, langs):
        self.langs = langs
        self.survey, self.choices = [], []

    def row(self, type_, name, label=None, hint=None, **columns):
        self.survey.append(
            {"type": type_, "name": name, **_texts("label", label, self.langs), **_texts("hint", hint, self.langs)}
            | {k: v for k, v in columns.items() if v}
        )

    def choice(self, list_name, value, text):
        self.choices.append({"list_name": list_name, "name": value, **_texts("label", text, self.langs)})


def _relevant(question):
    return write(question.show_if, MULTIPLE) if question.show_if else None


def _question(sheet, q):
    relevant = _relevant(q)
    if q.officer_note:
        sheet.row("note", f"{q.id}_officer_note", q.officer_note, relevant=relevant)
    kind = TYPES[q.kind]
    extra = {"relevant": relevant, "required": "yes", "appearance": APPEARANCES.get(q.appearance)}
    if q.kind == "number":
        bounds = constraint(q.kind, q.minimum, q.maximum)
        message = _l("Enter an age from %(min)d to %(max)d", min=q.minimum, max=q.maximum)
        sheet.row("integer", q.id, q.text, q.hint, relevant=relevant, constraint=bounds)
        sheet.survey[-1].update(_texts("constraint_message", message, sheet.langs))
        other = f"string-length(string(${{{q.id}}})) = 0" + (f" and ({relevant})" if relevant else "")
        sheet.row(f"select_one {AGE_OTHER}", AGE_OTHER, AGE_OTHER_TEXT, relevant=other, required="yes")
        for choice in alternatives([]):
            sheet.choice(AGE_OTHER, choice.value, choice.text)
        return
    if q.kind == "text":
        sheet.row("text", q.id, q.text, q.hint, **extra, constraint=constraint(q.kind, q.minimum, q.maximum))
        return
    if q.kind == "multi":
        extra["constraint"] = constraint(q.kind)
    sheet.row(f"{kind} {q.id}", q.id, q.text, q.hint, **extra)
    if q.kind == "multi":
        sheet.survey[-1].update(_texts("constraint_message", EXCLUSIVE_MESSAGE, sheet.langs))
    for choice in q.choices:
        sheet.choice(q.id, choice.value, choice.text)
    for choice in q.choices:
        for reason in choice.evidence.get("urgent", []):
            chosen = f"selected(${{{q.id}}}, '{choice.value}')"
            sheet.row(
                "note", f"{q.id}_{choice.value}_urgent", URGENT_REASONS[reason], URGENT_ACTIONS[reason], relevant=chosen
            )


def _setup(sheet):
    """Add what the officer records before the consent script: the post, the person's language, any interpreter."""
    sheet.row("start", "start")
    sheet.row("end", "end")
    sheet.row("username", "officer")
    sheet.row("calculate", BANK_VERSION, calculation=f"'{questionnaire.VERSION}'")
    sheet.row("text", "post", _l("Post or location"), required="yes")
    sheet.row("select_one interview_lang", "interview_lang", _l("The person's language"), required="yes")
    for code in ALL_LOCALES:
        sheet.choice("interview_lang", code, LANGUAGE_NAMES[code])
    sheet.row("select_one interpreter", "interpreter", _l("Is an interpreter helping?"), required="yes")
    for value, text in INTERPRETER.items():
        sheet.choice("interpreter", value, text)


def build(langs=None, public_key=None):
    """Return (survey rows, choices rows, settings row) of the XLSForm; with ``public_key``, phones encrypt."""
    sheet = _Sheet(langs or languages())
    _setup(sheet)
    for index, paragraph in enumerate(questionnaire.CONSENT_SCRIPT, 1):
        sheet.row("note", f"consent_{index}", paragraph)
    sheet.row("select_one consent", "consent", questionnaire.CONSENT_QUESTION, required="yes")
    for value, text in (("yes", _l("Yes")), ("no", _l("No"))):
        sheet.choice("consent", value, text)
    sheet.row("begin_group", "interview", relevant=CONSENTED)
    pages = {}
    for q in questionnaire.QUESTIONS:
        pages.setdefault(q.page_id, []).append(q)
    for page_id, page in pages.items():
        if len(page) > 1:
            sheet.row("begin_group", f"page_{page_id}", appearance="field-list")
        for q in page:
            _question(sheet, q)
            if q.id == "age":
                sheet.row("calculate", CHILD, calculation=CHILD_RULE)
        if len(page) > 1:
            sheet.row("end_group", "")
    sheet.row("end_group", "")
    settings = {
        "form_title": questionnaire.SETTINGS["form_title"],
        "form_id": questionnaire.SETTINGS["form_id"],
        "version": questionnaire.VERSION,
        "default_language": language_column(SOURCE_LOCALE),
    }
    if public_key:
        settings["public_key"] = public_key
    return sheet.survey, sheet.choices, settings


def _fill(worksheet, rows):
    columns = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    worksheet.append(columns)
    for row in rows:
        worksheet.append([row.get(column, "") for column in columns])


def write_workbook(path, langs=None, public_key=None):
    """Write the XLSForm workbook to ``path``."""
    survey, choices, settings = build(langs, public_key)
    book = Workbook()
    book.active.title = "survey"
    _fill(book.active, survey)
    _fill(book.create_sheet("choices"), choices)
    _fill(book.create_sheet("settings"), [settings])
    book.save(path)
    return path
