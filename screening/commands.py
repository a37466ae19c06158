"""Command-line tools: the question bank for reviewers, the rule on a file, demo data."""

import json
import sys

import click
from flask.cli import AppGroup
from flask_babel import ngettext

from . import demo, questionnaire
from .logic import evidence_for, is_valid_answer
from .questions import export
from .scoring import EvidenceError, assess, validate_evidence
from .storage import get_db

EXIT_BAD_INPUT = 2

questionnaire_cli = AppGroup("questionnaire", help="Read the question bank and run the decision rule.")
demo_cli = AppGroup("demo", help="Clearly fake data for trying the app.")


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


@demo_cli.command("seed")
@click.option("--count", default=50, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--force", is_flag=True, help="Add demo cases even where real cases exist.")
@click.option("--seed", "seed_value", type=int, default=None, help="Random seed, for repeatable data.")
def seed_command(count, force, seed_value):
    """Create COUNT fake completed screenings and print their references."""
    db = get_db()
    real = demo.real_case_count(db)
    if real and not force:
        raise click.ClickException(
            ngettext(
                "This database holds %(num)d real screening. Demo data would mix with it; "
                "use --force only if you are sure.",
                "This database holds %(num)d real screenings. Demo data would mix with them; "
                "use --force only if you are sure.",
                real,
            )
        )
    for reference in demo.seed(db, count, seed_value):
        click.echo(reference)


def init_app(app):
    """Register the command groups."""
    app.cli.add_command(questionnaire_cli)
    app.cli.add_command(demo_cli)
    from .translate import translate_cli  # imported here so `python -m screening.translate` runs cleanly

    app.cli.add_command(translate_cli)
