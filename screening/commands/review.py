"""The question bank for a specialist's review: its texts in chosen languages side by side, with what each answer means.

Each question comes with its hint and the officer's note, when it is asked
(its XLSForm ``relevant``), and for each choice the evidence it adds and, for
an indicator, its rating on the adult and the child list (S strong, M medium,
W weak, "not on the list"). The consent script comes first, as it is read. As
Markdown to read, or as CSV (one row a text) to annotate in a spreadsheet.
"""

import csv
import io

from flask_babel import force_locale

from screening.i18n.languages import INTERVIEW_NAMES
from screening.instrument import questionnaire
from screening.instrument.indicators import INDICATORS
from screening.instrument.relevant import write

MULTIPLE = frozenset(q.id for q in questionnaire.QUESTIONS if q.kind == "multi")
CSV_COLUMNS = ("question", "section", "audience", "part", "asked when", "evidence", "adult", "child")


def _in(text, langs):
    out = []
    for lang in langs:
        with force_locale(lang):
            out.append(str(text))
    return out


def evidence_words(evidence):
    """Return a choice's evidence as the sheet writes it, each indicator with its adult and child rating."""
    words, ratings = [], []
    for key, value in evidence.items():
        if key == "indicators":
            for code, status in value.items():
                words.append(f"indicator:{code}" + ("" if status == "present" else f"={status}"))
                indicator = INDICATORS[code]
                ratings.append((code, indicator.adult, indicator.child or "-"))
        elif isinstance(value, list):
            words += [f"{key}:{item}" for item in value]
        else:
            words.append(f"{key}:{str(value).lower() if isinstance(value, bool) else value}")
    return " ".join(words), ratings


def rows(langs):
    """Yield one dict a text: which question, which part, its evidence, and the text in each language."""
    for index, paragraph in enumerate(questionnaire.CONSENT_SCRIPT, 1):
        yield {"question": "consent", "section": "consent", "audience": "person", "part": f"script {index}"}, paragraph
    yield (
        {"question": "consent", "section": "consent", "audience": "person", "part": "question"},
        (questionnaire.CONSENT_QUESTION),
    )
    for q in questionnaire.QUESTIONS:
        when = write(q.show_if, MULTIPLE) if q.show_if else ""
        base = {"question": q.id, "section": q.section, "audience": q.audience, "asked when": when}
        yield {**base, "part": "question"}, q.text
        if q.hint:
            yield {**base, "part": "hint"}, q.hint
        if q.officer_note:
            yield {**base, "part": "officer's note"}, q.officer_note
        for choice in q.choices:
            words, ratings = evidence_words(choice.evidence)
            adult = " ".join(f"{code} {a}" for code, a, _c in ratings)
            child = " ".join(f"{code} {c}" for code, _a, c in ratings)
            part = {**base, "part": f"choice {choice.value}", "evidence": words, "adult": adult, "child": child}
            yield part, choice.text


def as_csv(langs):
    """Return the review as CSV: the columns above, then one column a language."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *(f"{INTERVIEW_NAMES[lang]} ({lang})" for lang in langs)])
    for facts, text in rows(langs):
        writer.writerow([facts.get(column, "") for column in CSV_COLUMNS] + _in(text, langs))
    return out.getvalue()


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table_row(cells):
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def as_markdown(langs):
    """Return the review as Markdown: a table a question, texts side by side, choices with their evidence."""
    heads = [f"{INTERVIEW_NAMES[lang]} ({lang})" for lang in langs]
    lines = [f"# {questionnaire.SETTINGS['form_title']}, version {questionnaire.VERSION}", ""]
    lines += [
        "Texts other than English are first drafts until a native speaker has reviewed them (TRANSLATING.md).",
        "Ratings: S strong, M medium, W weak, - not on that list.",
        "",
    ]
    current = None
    for facts, text in rows(langs):
        if facts["question"] != current:
            current = facts["question"]
            section = facts["section"]
            title = "Consent script" if section == "consent" else f"`{current}` ({section}, {facts['audience']})"
            lines += ["", f"## {title}", ""]
            if facts.get("asked when"):
                lines += [f"Asked when: `{facts['asked when']}`", ""]
            lines += [_table_row(["", *heads, "evidence", "adult", "child"]), _table_row(["---"] * (len(langs) + 4))]
        extra = [facts.get("evidence", ""), facts.get("adult", ""), facts.get("child", "")]
        lines.append(_table_row([facts["part"], *_in(text, langs), *extra]))
    return "\n".join(lines) + "\n"
