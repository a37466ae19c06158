"""``flask questionnaire``: the question bank and the decision rule, for reviewers, on the command line."""

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from screening.collect import encryption, xlsform
from screening.commands import review
from screening.i18n.languages import INTERVIEW_NAMES, SOURCE_LOCALE
from screening.instrument import questionnaire
from screening.instrument.bank import export
from screening.instrument.logic import evidence_for, is_valid_answer
from screening.instrument.scoring import EvidenceError, assess, validate_evidence

EXIT_BAD_INPUT = 2

questionnaire_cli = AppGroup("questionnaire", help="Read the question bank and run the decision rule.")


def _fail(message):
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _languages(value):
    langs = [code.strip() for code in (value or SOURCE_LOCALE).split(",") if code.strip()]
    unknown = [code for code in langs if code not in INTERVIEW_NAMES]
    if unknown:
        raise click.BadParameter(f"unknown language {', '.join(unknown)}; known: {', '.join(INTERVIEW_NAMES)}")
    return langs


@questionnaire_cli.command("export")
@click.option(
    "--format",
    "form",
    type=click.Choice(["json", "md", "csv", "xlsform"]),
    default="json",
    show_default=True,
    help="json: the structure; md or csv: for a specialist's review; xlsform: a workbook for ODK and KoboToolbox.",
)
@click.option("--lang", "langs", default="", help="Languages side by side for md and csv, e.g. en,th,km.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
@click.option(
    "--encrypt/--no-encrypt",
    default=True,
    show_default=True,
    help="XLSForm: phones encrypt each submission for this installation only. Without it, servers can read them.",
)
def export_command(form, langs, output, encrypt):
    """Export the question bank: as JSON, for review in chosen languages, or as an XLSForm."""
    langs = _languages(langs)
    if form == "xlsform":
        if not output:
            _fail("an XLSForm is a workbook: name the file with -o, e.g. -o screening.xlsx")
        key = (
            encryption.public_key_text(encryption.key(current_app.config["SCREENING_SIGNING_DIR"])) if encrypt else None
        )
        xlsform.write_workbook(output, public_key=key)
        click.echo(f"Wrote {output}: form {questionnaire.SETTINGS['form_id']}, version {questionnaire.VERSION}.")
        return
    if form == "json":
        text = json.dumps(export(questionnaire.QUESTIONS, questionnaire.VERSION), ensure_ascii=False, indent=2) + "\n"
    else:
        text = review.as_markdown(langs) if form == "md" else review.as_csv(langs)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)


def answers_to_evidence(answers):
    """Check a JSON object of question id -> value against the bank and return its evidence."""
    if not isinstance(answers, dict):
        raise EvidenceError("the answers must be a JSON object of question id -> value")
    for qid, value in answers.items():
        question = questionnaire.BY_ID.get(qid)
        if question is None:
            raise EvidenceError(f"unknown question id {qid!r}")
        if not is_valid_answer(question, value):
            allowed = ", ".join(question.values) if question.choices else question.kind
            raise EvidenceError(f"question {qid!r} cannot take the value {value!r}; allowed: {allowed}")
    return evidence_for(questionnaire.QUESTIONS, answers)


@questionnaire_cli.command("assess")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option("--answers", "from_answers", is_flag=True, help="SOURCE holds answers by question id, not evidence.")
def assess_command(source, from_answers):
    """Read an evidence document (or answers) from SOURCE, or - for standard input; print the assessment."""
    try:
        document = json.load(source)
    except json.JSONDecodeError as exc:
        _fail(f"not valid JSON: {exc}")
    try:
        evidence = answers_to_evidence(document) if from_answers else validate_evidence(document)
        assessment = assess(evidence)
    except EvidenceError as exc:
        _fail(str(exc))
    click.echo(json.dumps(assessment, ensure_ascii=False, indent=2))
