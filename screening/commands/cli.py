"""Command-line tools: the question bank for reviewers, the rule on a file, demo data."""

import json
import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import ngettext

from screening import demo
from screening.cases import records as cases
from screening.db.connection import get_db, normalise_reference
from screening.i18n.languages import supported
from screening.instrument import questionnaire
from screening.instrument.bank import export
from screening.instrument.logic import evidence_for, is_valid_answer
from screening.instrument.scoring import EvidenceError, assess, validate_evidence
from screening.referral import directory, pdf, referrals

EXIT_BAD_INPUT = 2

questionnaire_cli = AppGroup("questionnaire", help="Read the question bank and run the decision rule.")
demo_cli = AppGroup("demo", help="Clearly fake data for trying the app.")
referral_cli = AppGroup("referral", help="Print referral documents.")


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


def _pick_referral(db, screening, to):
    found = referrals.find_by_organisation(db, screening["id"], to) if to else referrals.for_case(db, screening["id"])
    if len(found) == 1:
        return found[0]
    if not found:
        raise click.ClickException(_("No referral of this case matches."))
    names = "; ".join(r["organisation_name"] for r in found)
    raise click.ClickException(_("This case has several referrals; choose one with --to: %(names)s", names=names))


@referral_cli.command("pdf")
@click.argument("reference")
@click.option("--lang", "lang", default=None, help="Language of the document (default: the organisation's).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True, help="PDF file to write."
)
@click.option("--to", "to", default=None, help="Part of the receiving organisation's name, when there are several.")
@click.option("--info", is_flag=True, help="Print the person's 'information for you' sheet instead.")
@click.option("--paper", type=click.Choice(list(pdf.PAPER)), default="a4", show_default=True)
def referral_pdf_command(reference, lang, output, to, info, paper):
    """Write the referral (or the person's sheet) of case REFERENCE as a PDF."""
    db = get_db()
    screening = cases.find(db, normalise_reference(reference) or reference)
    if screening is None:
        raise click.ClickException(_("No case has the reference %(reference)s.", reference=reference))
    referral = _pick_referral(db, screening, to)
    if lang is not None and lang not in supported():
        codes = ", ".join(supported())
        raise click.ClickException(_("Unknown language %(lang)s; choose one of: %(codes)s", lang=lang, codes=codes))
    officer = next(db.query("select * from users where id = ?", [referral["created_by"]]))
    if info:
        lang = lang or screening["interview_lang"]
        organisation = directory.get_organisation(db, referral["organisation_id"])
        data = pdf.render(pdf.info_html(screening, referral, organisation, lang), paper)
    else:
        lang = lang or referral["print_lang"]
        person = referrals.person(db, screening["id"])
        answers = cases.answers(db, screening["id"])
        html = pdf.referral_html(screening, referral, person, answers, officer, lang)
        data = pdf.render(html, paper, pdf.payload(screening, referral, person, answers, officer))
    with open(output, "wb") as handle:
        handle.write(data)
    referrals.record_export(db, screening["id"], referral["id"], "info" if info else "referral", lang, None, "cli")
    click.echo(output)


def init_app(app):
    """Register the command groups."""
    app.cli.add_command(questionnaire_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(referral_cli)
    from screening.protection import audit, retention

    app.cli.add_command(retention.data_cli)
    app.cli.add_command(audit.audit_cli)
    from screening.i18n.catalogs import translate_cli  # imported here so `python -m screening.translate` runs cleanly

    app.cli.add_command(translate_cli)
