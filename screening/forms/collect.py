"""The form that brings in screenings collected offline: the submission files, one or many."""

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms.validators import ValidationError

from screening.i18n.lazy import lazy_gettext as _l

# As much as the reverse proxy of the README lets through (client_max_body_size 2m): some hundreds of submissions.
MAX_BYTES = 2 * 1024 * 1024


class CollectedForm(FlaskForm):
    """ODK submission XML (and its encrypted files), zips of them, ODK Central CSV or KoboToolbox JSON exports."""

    files = MultipleFileField(_l("Submission files"))

    def validate_files(self, field):
        """Refuse an empty choice and uploads larger than the import takes."""
        chosen = [f for f in field.data or [] if getattr(f, "filename", "")]
        if not chosen:
            raise ValidationError(_l("Choose the files to import"))
        size = 0
        for upload in chosen:
            upload.stream.seek(0, 2)
            size += upload.stream.tell()
            upload.stream.seek(0)
        if size > MAX_BYTES:
            raise ValidationError(_l("The files must be smaller than %(size)d MB in all", size=MAX_BYTES >> 20))
        field.data = chosen
