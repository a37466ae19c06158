"""Screenings collected offline: the XLSForm to download, and the import of the submissions made with it.

For supervisors and administrators (access "collect"); to anyone else these
pages do not exist (404). An import is all or nothing: the page lists every
file and row that does not fit, in the user's language, and stores nothing
until all of them do.
"""

from io import BytesIO
from pathlib import PurePosixPath

from flask import Blueprint, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import ngettext

from screening.accounts.auth import requires
from screening.collect import encryption, xlsform
from screening.collect.formats import NONE_FOUND, SubmissionError, read_files, unzip
from screening.collect.intake import Report, import_submissions
from screening.db.connection import get_db
from screening.forms.collect import MAX_BYTES, CollectedForm
from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument import questionnaire
from screening.protection.audit import Actor

bp = Blueprint("collected", __name__, url_prefix="/collected")
SAME_NAME = _l("two files have this name: put each submission's files in a zip of its own")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _files(uploads):
    """Return the uploaded files as one folder ({name: bytes}), each zip unpacked under its own name."""
    files = {}
    for upload in uploads:
        name = PurePosixPath(upload.filename.replace("\\", "/")).name or "upload"
        data = upload.read()
        if name in files:
            raise SubmissionError(name, SAME_NAME)
        if name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
            files |= {f"{name}/{path}": content for path, content in unzip(name, data).items()}
        else:
            files[name] = data
    return files


@bp.route("/", methods=["GET", "POST"])
@requires("collect")
def index():
    """The form to download, and the import: every submission stored, or none with the reasons."""
    form = CollectedForm()
    report = None
    if form.validate_on_submit():
        key = encryption.key(current_app.config["SCREENING_SIGNING_DIR"])
        try:
            files = _files(form.files.data)
            submissions = read_files(files, key)
            if not submissions:
                raise SubmissionError(", ".join(sorted(files))[:200], NONE_FOUND)
        except SubmissionError as exc:
            report = Report(errors=[exc])
        else:
            report = import_submissions(get_db(), Actor.web(), submissions)
        if not report.errors:
            _say(report)
            return redirect(url_for("collected.index"))
    return render_template(
        "collect/index.html", form=form, report=report, version=questionnaire.VERSION, limit=MAX_BYTES >> 20
    )


def _say(report):
    flash(ngettext("%(num)d screening imported.", "%(num)d screenings imported.", len(report.imported)))
    if report.already:
        flash(
            ngettext(
                "%(num)d was imported before and is left as it was.",
                "%(num)d were imported before and are left as they were.",
                len(report.already),
            )
        )
    if report.reassigned:
        flash(
            ngettext(
                "%(num)d names an officer who has no active account in your organisation: that case is yours.",
                "%(num)d name an officer who has no active account in your organisation: those cases are yours.",
                len(report.reassigned),
            )
        )


@bp.route("/screening.xlsx")
@requires("collect")
def workbook():
    """Send the XLSForm, with this installation's public key so that phones encrypt every submission."""
    key = encryption.key(current_app.config["SCREENING_SIGNING_DIR"])
    out = BytesIO()
    xlsform.write_workbook(out, public_key=encryption.public_key_text(key))
    out.seek(0)
    name = f"{questionnaire.SETTINGS['form_id']}-{questionnaire.VERSION}.xlsx"
    return send_file(out, mimetype=XLSX, as_attachment=True, download_name=name)
