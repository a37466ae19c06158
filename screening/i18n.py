"""Locale choice: which language the interface speaks, and which the interview uses.

The interface language is chosen in a documented order (after SecureDrop's
i18n module): an explicit ``?lang=`` link, then the session, then the browser's
Accept-Language, then the configured default. A bad ``lang`` value is ignored.
Templates get ``lang``, ``dir`` and each language's name in itself.
"""

from datetime import datetime

from babel import Locale
from flask import g, has_request_context, request, session
from flask_babel import Babel, format_datetime

# Every language the frontline needs (screening model §7), named in itself.
# A language is offered only once its catalog is complete (SUPPORTED below).
LANGUAGE_NAMES = {
    "en": "English",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
    "th": "ไทย",
    "vi": "Tiếng Việt",
    "km": "ភាសាខ្មែរ",
    "lo": "ລາວ",
    "my": "မြန်မာ",
    "fil": "Filipino",
    "zh_Hans": "中文（简体）",
    "pt": "Português",
}
SUPPORTED = ("en",)
DEFAULT = "en"


def text_direction(code):
    """Return "rtl" or "ltr" for a locale code."""
    return Locale.parse(code).text_direction


def select_locale():
    """Return the interface locale for this request, in the documented order."""
    if not has_request_context():
        return DEFAULT
    asked = request.args.get("lang")
    if asked in SUPPORTED:
        session["lang"] = asked
        return asked
    if session.get("lang") in SUPPORTED:
        return session["lang"]
    return request.accept_languages.best_match(SUPPORTED) or DEFAULT


def template_context():
    """Return what every template needs to declare its language."""
    code = getattr(g, "locale_code", None) or select_locale()
    return {
        "lang": code.replace("_", "-"),
        "dir": text_direction(code),
        "language_names": {c: LANGUAGE_NAMES[c] for c in SUPPORTED},
    }


def datetime_short(stamp):
    """Format a stored ISO timestamp for the interface locale."""
    if not stamp:
        return ""
    return format_datetime(datetime.fromisoformat(stamp), "short")


def init_app(app):
    """Wire Flask-Babel with the locale selector and give templates their language."""
    Babel(app, locale_selector=select_locale, default_translation_directories="../translations")
    app.context_processor(template_context)
    app.add_template_filter(datetime_short)
