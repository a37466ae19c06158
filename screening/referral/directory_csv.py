"""The directory as a CSV file: export, and an all-or-nothing import that adds or updates by name.

One bad row and nothing is imported, so that a directory is never left half
updated; every problem is listed with its row number as a spreadsheet shows it.
Cells that a spreadsheet would run as a formula are defused on export with a
leading quote (protection/spreadsheet.py), and the import takes exactly that
quote away again, so a file exported and imported back changes nothing.
"""

import csv
import io
import re

from flask_babel import gettext as _

from screening.db.connection import write_transaction
from screening.i18n import zawgyi
from screening.i18n.languages import INTERVIEW_NAMES, LANGUAGE_NAMES
from screening.protection import audit
from screening.protection.spreadsheet import neutralise, unneutralise
from screening.protection.text import has_hidden_characters
from screening.referral.directory import (
    EMAIL_PATTERN,
    FIELDS,
    KINDS,
    MAX_LENGTHS,
    all_organisations,
    canonical_language,
    name_key,
    names_in_use,
    parse_languages,
    save,
)

# Stable column names, in the order of an export: the directory's fields, except that
# the print_lang field is called print_language in a file people edit by hand.
COLUMN_FIELDS = {("print_language" if field == "print_lang" else field): field for field in FIELDS}
COLUMNS = tuple(COLUMN_FIELDS)
REQUIRED_COLUMNS = ("name", "kind", "print_language")
TEXT_COLUMNS = ("name", "area", "phone", "address", "contact_person", "notes")
MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 2000
YES, NO = "yes", "no"
ACTIVE_VALUES = {"yes": 1, "y": 1, "true": 1, "1": 1, "no": 0, "n": 0, "false": 0, "0": 0}


def export_csv(db):
    """Return every organisation as CSV text: a header of stable column names, then one row each."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in all_organisations(db):
        cells = {column: row[COLUMN_FIELDS[column]] or "" for column in COLUMNS}
        cells["active"] = YES if row["active"] else NO
        writer.writerow([neutralise(cells[column]) for column in COLUMNS])
    return out.getvalue()


def _header_errors(header):
    """Return what is wrong with the first row: unknown, missing or repeated column names."""
    named = [column for column in header if column]
    unknown = [column for column in named if column not in COLUMNS]
    missing = [column for column in REQUIRED_COLUMNS if column not in named]
    repeated = sorted({column for column in named if named.count(column) > 1})
    errors = []
    if unknown:
        errors.append(
            _(
                "The first row names columns this app does not know: %(unknown)s. The columns are: %(columns)s",
                unknown=", ".join(unknown),
                columns=", ".join(COLUMNS),
            )
        )
    if missing:
        errors.append(_("The first row lacks the columns: %(missing)s", missing=", ".join(missing)))
    if repeated:
        errors.append(_("The first row names these columns twice: %(repeated)s", repeated=", ".join(repeated)))
    return errors


def _cells(number, cells, header):
    """Return the row's cleaned cells by column name, and an error if a cell lies outside the named columns."""
    values = {column: "" for column in header if column}
    stray = None
    for index, cell in enumerate(cells):
        column = header[index] if index < len(header) else ""
        if column:
            values[column] = unneutralise(cell.strip())
        elif cell.strip():
            stray = _("Row %(row)d: a cell is outside the named columns", row=number)
    return values, stray


def _choice_errors(number, values):
    """Return the errors of the columns that take stable values: kind, languages, print_language, active."""
    kinds, spoken, languages = ", ".join(KINDS), ", ".join(INTERVIEW_NAMES), ", ".join(LANGUAGE_NAMES)
    errors = []
    if not values["kind"]:
        errors.append(_("Row %(row)d: the kind is missing; use one of: %(allowed)s", row=number, allowed=kinds))
    elif values["kind"].casefold() not in KINDS:
        errors.append(
            _(
                "Row %(row)d: kind '%(value)s' is not one of: %(allowed)s",
                row=number,
                value=values["kind"],
                allowed=kinds,
            )
        )
    for code in parse_languages(values.get("languages", ""))[1]:
        errors.append(
            _(
                "Row %(row)d: language code '%(value)s' is not one of: %(allowed)s",
                row=number,
                value=code,
                allowed=spoken,
            )
        )
    if not values["print_language"]:
        errors.append(
            _("Row %(row)d: the print_language is missing; use one of: %(allowed)s", row=number, allowed=languages)
        )
    elif canonical_language(values["print_language"]) not in LANGUAGE_NAMES:
        errors.append(
            _(
                "Row %(row)d: print_language '%(value)s' is not one of: %(allowed)s",
                row=number,
                value=values["print_language"],
                allowed=languages,
            )
        )
    if values.get("active", "").casefold() not in ("", *ACTIVE_VALUES):
        errors.append(_("Row %(row)d: active '%(value)s' is not yes or no", row=number, value=values["active"]))
    return errors


def _text_errors(number, values):
    """Return the errors of the columns of free text: presence of the name, email form, length, encoding."""
    errors = []
    if not values["name"]:
        errors.append(_("Row %(row)d: the name is missing", row=number))
    if values.get("email") and not re.match(EMAIL_PATTERN, values["email"]):
        errors.append(_("Row %(row)d: email '%(value)s' is not an email address", row=number, value=values["email"]))
    for column, limit in MAX_LENGTHS.items():
        if len(values.get(column, "")) > limit:
            errors.append(
                _("Row %(row)d: %(column)s is longer than %(max)d characters", row=number, column=column, max=limit)
            )
    for column, value in values.items():
        if has_hidden_characters(value):
            errors.append(
                _(
                    "Row %(row)d: %(column)s holds invisible control characters; remove them",
                    row=number,
                    column=column,
                )
            )
    for column in TEXT_COLUMNS:
        if zawgyi.is_zawgyi(values.get(column, "")):
            errors.append(
                _(
                    "Row %(row)d: %(column)s is Burmese typed in the old Zawgyi encoding; convert it to Unicode first",
                    row=number,
                    column=column,
                )
            )
    return errors


def _fields(values):
    """Return the database fields of a checked row, values in their stable form."""
    fields = {COLUMN_FIELDS[column]: value for column, value in values.items()}
    fields["kind"] = values["kind"].casefold()
    fields["print_lang"] = canonical_language(values["print_language"])
    if "active" in values:
        fields["active"] = ACTIVE_VALUES.get(values["active"].casefold(), 1)
    return fields


def _table(data):
    """Return the file's rows of cells, or an error message."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, _("The file is not in UTF-8. In your spreadsheet, save it as 'CSV UTF-8' and try again.")
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return None, _("The file cannot be read as CSV. Save it from your spreadsheet as 'CSV UTF-8' and try again.")
    if not table:
        return None, _("The file is empty.")
    return table, None


def read_csv(data):
    """Read an uploaded CSV file without changing anything; return (rows of database fields, errors).

    Rows are numbered as a spreadsheet shows them, the header being row 1. Empty
    rows are skipped. A column left out of the file is left as it is on update.
    Rows come back only when there is no error at all.
    """
    table, problem = _table(data)
    if problem:
        return [], [problem]
    header = [cell.strip().casefold() for cell in table[0]]
    errors = _header_errors(header)
    if errors:
        return [], errors
    rows, first_row_of = [], {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == MAX_IMPORT_ROWS:
            return [], [_("The file has more than %(max)d organisations.", max=MAX_IMPORT_ROWS)]
        values, stray = _cells(number, cells, header)
        key = name_key(values["name"])
        if key in first_row_of:
            errors.append(
                _(
                    "Row %(row)d: the name '%(name)s' is already on row %(first)d",
                    row=number,
                    name=values["name"],
                    first=first_row_of[key],
                )
            )
        elif key:
            first_row_of[key] = number
        errors.extend(([stray] if stray else []) + _text_errors(number, values) + _choice_errors(number, values))
        rows.append(_fields(values))
    if not rows and not errors:
        errors.append(_("The file has a first row of column names but no organisations."))
    return ([] if errors else rows), errors


def import_rows(db, actor, rows):
    """Add or update (when the name is known) every row, all in one transaction with its audit entry.

    Returns (added, updated).
    """
    added = updated = 0
    with write_transaction(db):
        known = names_in_use(db)
        for fields in rows:
            organisation_id = known.get(name_key(fields["name"]))
            save(db, fields, organisation_id)
            if organisation_id is None:
                added += 1
            else:
                updated += 1
        audit.record(db, "import_csv", actor, detail={"added": added, "updated": updated})
    return added, updated


def export_for(db, actor):
    """Return the directory as CSV text for someone who downloads it, and audit the download."""
    with write_transaction(db):
        text = export_csv(db)
        audit.record(db, "export_csv", actor)
    return text
