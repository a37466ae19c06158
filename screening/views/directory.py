"""The directory of services, for administrators: the list, adding and editing, CSV import and export.

Every page is for administrators only; to anyone else it does not exist (404).
Organisations are deactivated, never deleted: referrals already made point to them.
"""

import sqlite3
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _

from screening.accounts.auth import requires
from screening.config import PACKAGE_DIR
from screening.db.connection import get_db
from screening.forms.directory import ImportForm, OrganisationForm
from screening.i18n.languages import INTERVIEW_NAMES
from screening.protection.audit import Actor
from screening.referral import directory
from screening.referral.directory_csv import COLUMNS, export_for, import_rows, read_csv

bp = Blueprint("directory", __name__, url_prefix="/directory")

EXAMPLE = PACKAGE_DIR / "examples" / "directory-example.csv"
MAX_ERRORS_SHOWN = 50


@bp.route("/")
@requires("directory")
def index():
    """List every organisation, active or not, with links to edit them."""
    return render_template(
        "directory/index.html",
        rows=directory.all_organisations(get_db()),
        kind_label=directory.kind_label,
        all_languages=INTERVIEW_NAMES,
    )


def _edit(row):
    """Show the form for a new organisation (``row`` None) or an existing one, and save it when valid."""
    db = get_db()
    organisation_id = row["id"] if row else None
    data = {**row, "active": bool(row["active"])} if row else None
    form = OrganisationForm(data=data, names_in_use=directory.names_in_use(db, except_id=organisation_id))
    if form.validate_on_submit():
        values = {field: form[field].data for field in directory.FIELDS}
        try:
            directory.change(db, Actor.web(), values, organisation_id)
        except sqlite3.IntegrityError:
            # Another administrator saved the same name a moment ago.
            form.name.errors.append(_("Another organisation has this name. Choose a different name."))
        else:
            flash(_("Saved %(name)s.", name=values["name"]))
            return redirect(url_for("directory.index"))
    return render_template(
        "directory/form.html", form=form, row=row, kind_help=directory.KIND_HELP, all_languages=INTERVIEW_NAMES
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("directory")
def new():
    """Add an organisation."""
    return _edit(None)


@bp.route("/<id:organisation_id>", methods=["GET", "POST"])
@requires("directory")
def edit(organisation_id):
    """Change an organisation, or deactivate it."""
    row = directory.get_organisation(get_db(), organisation_id)
    if row is None:
        abort(404)
    return _edit(row)


@bp.route("/import", methods=["GET", "POST"])
@requires("directory")
def import_file():
    """Import a CSV file: every row, or none at all when any row is wrong."""
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        rows, problems = read_csv(form.file.data.read())
        if not problems:
            added, updated = import_rows(get_db(), Actor.web(), rows)
            flash(_("Import done: %(added)d added, %(updated)d updated.", added=added, updated=updated))
            return redirect(url_for("directory.index"))
    return render_template(
        "directory/import.html",
        form=form,
        problems=problems[:MAX_ERRORS_SHOWN],
        more=max(0, len(problems) - MAX_ERRORS_SHOWN),
        columns=COLUMNS,
        kinds=directory.KINDS,
        all_languages=INTERVIEW_NAMES,
    )


@bp.route("/export.csv")
@requires("directory")
def export():
    """Download the whole directory as a CSV file."""
    filename = f"directory-{date.today().isoformat()}.csv"
    return Response(
        export_for(get_db(), Actor.web()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/example.csv")
@requires("directory")
def example():
    """Download the example file: clearly fake organisations that show the format."""
    return send_file(EXAMPLE, mimetype="text/csv", as_attachment=True, download_name=EXAMPLE.name)
