"""``flask questionnaire``: the question bank and the decision rule, for reviewers, on the command line."""

import json
import sys

import click
from flask.cli import AppGroup

from screening.instrument import questionnaire
from screening.instrument.bank import export
from screening.instrument.logic import evidence_for, is_valid_answer
from screening.instrument.scoring import EvidenceError, assess, validate_evidence

EXIT_BAD_INPUT = 2

questionnaire_cli = AppGroup("questionnaire", help="Read the question bank and run the decision rule.")


def _fail(message):
    click.echo(f"Error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@questionnaire_cli.command("export")
def export_command():
    """Print the question bank as JSON."""
    click.echo(json.dumps(export(questionnaire.QUESTIONS, questionnaire.VERSION), ensure_ascii=False, indent=2))


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
