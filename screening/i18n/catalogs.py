"""The translation workflow: extract, update, compile and check the catalogs.

Runs as ``flask --app wsgi translate ...`` or, without an app (as the Makefile
does at set-up), ``python -m screening.i18n.catalogs ...``. It wraps pybabel so that
nobody needs to remember its flags, and it checks what pybabel does not: that a
supported catalog translates every message, keeps every placeholder, and still
says it is a first draft awaiting native-speaker review.
"""

import re
import sys

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from screening.i18n.languages import ALL_LOCALES, DOMAIN, INTERVIEW_ONLY, SOURCE_LOCALE, TRANSLATIONS

ROOT = TRANSLATIONS.parent
TEMPLATE = TRANSLATIONS / f"{DOMAIN}.pot"
# The person's texts alone (person.py): the template of the interview-only languages.
PERSON_TEMPLATE = TRANSLATIONS / "person.pot"
KEYWORDS = ("_l", "lazy_gettext")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdi]")
# Every catalog's header says one of these: a first draft, or who reviewed it.
REVIEW_MARK = "FIRST DRAFT"
REVIEWED_MARK = "Reviewed by"


def _pybabel(*args):
    """Run one pybabel command; raise ClickException if it fails."""
    try:
        CommandLineInterface().run(["pybabel", "-q", *args])
    except SystemExit as exc:
        if exc.code:
            raise click.ClickException(f"pybabel {args[0]} failed") from exc


def catalog_path(code):
    """Return the path of a locale's catalog."""
    return TRANSLATIONS / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path):
    """Return a catalog read from a .po or .pot file."""
    with path.open("rb") as handle:
        return read_po(handle)


def placeholders(text):
    """Return the sorted named placeholders of a message, such as ``%(max)d``."""
    return sorted(PLACEHOLDER.findall(text))


def _ids(message):
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def translations_of(message):
    """Return the translated strings of a message (one, or one per plural form)."""
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def template_of(code):
    """Return the template a locale's catalog follows: all messages, or the person's alone."""
    return PERSON_TEMPLATE if code in INTERVIEW_ONLY else TEMPLATE


def problems(code):
    """Return what is wrong with one locale's catalog, as sentences; empty when it is complete."""
    path = catalog_path(code)
    if not path.exists():
        return [f"{code}: no catalog at {path.relative_to(ROOT)}"]
    catalog = read_catalog(path)
    found = []
    header = catalog.header_comment or ""
    if REVIEW_MARK not in header and REVIEWED_MARK not in header:
        found.append(f"{code}: the header must say '{REVIEW_MARK}', or '{REVIEWED_MARK} ...' once reviewed")
    template_ids = {m.id for m in read_catalog(template_of(code)) if m.id}
    catalog_ids = {m.id for m in catalog if m.id}
    for missing in sorted(template_ids - catalog_ids, key=str):
        found.append(f"{code}: missing {missing!r} (run `make translations`)")
    for message in catalog:
        if not message.id or message.id not in template_ids:
            continue
        if message.fuzzy:
            found.append(f"{code}: fuzzy, needs checking: {message.id!r}")
        if not all(translations_of(message)):
            found.append(f"{code}: untranslated: {message.id!r}")
            continue
        wanted = placeholders(_ids(message)[0])
        for string in translations_of(message):
            if placeholders(string) != wanted:
                found.append(f"{code}: placeholders differ in {message.id!r}: {string!r}")
    found.extend(f"{code}: {error}" for _msg, errors in catalog.check() for error in errors)
    return found


@click.group("translate")
def translate_cli():
    """Extract, update, compile and check the translations."""


@translate_cli.command("extract")
def extract():
    """Collect every marked string into translations/messages.pot."""
    args = ["extract", "-F", str(TRANSLATIONS / "babel.cfg"), "--no-location", "--sort-output"]
    for keyword in KEYWORDS:
        args += ["-k", keyword]
    args += [
        "--project=trafficking-screening",
        "--copyright-holder=The screening developers",
        "--msgid-bugs-address=see TRANSLATING.md",
        "-o",
        str(TEMPLATE),
        str(ROOT),
    ]
    _pybabel(*args)
    write_person_template()


def write_person_template():
    """Write person.pot: the messages of messages.pot that the person reads or hears."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from screening.i18n.person import person_messages

    wanted = set(person_messages())
    full = read_catalog(TEMPLATE)
    lost = sorted(wanted - {m.id for m in full if m.id})
    if lost:
        raise click.ClickException(f"not in {TEMPLATE.name}: {lost!r} (are they marked for translation?)")
    person = Catalog(
        project=full.project, copyright_holder=full.copyright_holder, msgid_bugs_address=full.msgid_bugs_address
    )
    person.header_comment = "# The texts the person reads or hears (screening/i18n/person.py).\n#"
    for message in full:
        if message.id in wanted:
            person.add(message.id, "", auto_comments=message.auto_comments, flags=message.flags - {"fuzzy"})
    with PERSON_TEMPLATE.open("wb") as handle:
        write_po(handle, person, omit_header=False, sort_output=True)


@translate_cli.command("update")
def update():
    """Bring every catalog in line with its template (new strings come in empty)."""
    for code in (*ALL_LOCALES, *INTERVIEW_ONLY):
        if catalog_path(code).exists():
            _pybabel(
                "update",
                "-i",
                str(template_of(code)),
                "-d",
                str(TRANSLATIONS),
                "-D",
                DOMAIN,
                "-l",
                code,
                "--no-fuzzy-matching",
                "--ignore-obsolete",
            )


@translate_cli.command("compile")
def compile_catalogs():
    """Compile every catalog to the .mo file the app loads."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "-D", DOMAIN)


@translate_cli.command("check")
def check():
    """Fail unless every supported catalog is complete, with the same placeholders."""
    codes = [code for code in (*ALL_LOCALES, *INTERVIEW_ONLY) if code != SOURCE_LOCALE]
    found = [p for code in codes for p in problems(code)]
    for problem in found:
        click.echo(problem, err=True)
    if found:
        raise click.ClickException(f"{len(found)} problem(s) in the catalogs")
    click.echo(f"{len(codes)} catalogs complete ({len(INTERVIEW_ONLY)} of them for the interview only).")


if __name__ == "__main__":
    sys.exit(translate_cli())
