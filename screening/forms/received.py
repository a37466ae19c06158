"""Forms for referrals between installations: the signed file to import, and trusting the installation that signed."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import HiddenField
from wtforms.validators import DataRequired

from screening.i18n.lazy import lazy_gettext as _l
from screening.referral.signing import MAX_BYTES

BYTES_PER_MB = 1024 * 1024


class ImportDocumentForm(FlaskForm):
    """The signed referral or acknowledgement (PDF) to import."""

    file = FileField(
        _l("Signed referral or acknowledgement (PDF)"),
        validators=[
            FileRequired(message=_l("Choose the PDF file you received")),
            FileSize(
                MAX_BYTES, message=_l("The file must be smaller than %(size)d MB", size=MAX_BYTES // BYTES_PER_MB)
            ),
        ],
    )


class TrustForm(FlaskForm):
    """The certificate of the installation that signed a document, carried from the page that showed its fingerprint."""

    certificate = HiddenField(validators=[DataRequired(message=_l("Import the file again to see its certificate"))])
