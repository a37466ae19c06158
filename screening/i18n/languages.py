"""Languages: which one the interface speaks, which one the interview uses, and how dates read.

The interface language is chosen in a documented order (after SecureDrop's
i18n module): an explicit ``?lang=`` link, then the session, then the account's
saved preference, then the browser's Accept-Language, then the configured
default. A bad ``lang`` value is ignored. The interview language is chosen per
screening; question pages show the person's language first and the officer's
underneath. At start-up every configured locale must have a compiled catalog:
a missing one is dropped with a warning, a missing default stops the app.
"""

import os
from urllib.parse import urlencode

from babel import Locale
from babel.lists import format_list
from flask import current_app, g, has_request_context, request, session
from flask_babel import Babel, force_locale, get_locale, gettext

from screening.config import TRANSLATIONS_DIR
from screening.i18n.person import INTERVIEW_ONLY

TRANSLATIONS = TRANSLATIONS_DIR
DOMAIN = "messages"
SOURCE_LOCALE = "en"

# Every language the frontline needs (screening model §7), each named in itself.
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
ALL_LOCALES = tuple(LANGUAGE_NAMES)
# The interview speaks these as well, for the person's texts only (person.py).
INTERVIEW_NAMES = {**LANGUAGE_NAMES, **INTERVIEW_ONLY}
# Where each language is spoken by the people officers meet (ISO 3166 codes), to help a person find theirs.
SPOKEN_IN = {
    "id": ("ID",),
    "ms": ("MY", "BN", "SG"),
    "th": ("TH",),
    "vi": ("VN",),
    "km": ("KH",),
    "lo": ("LA",),
    "my": ("MM",),
    "fil": ("PH",),
    "zh_Hans": ("CN", "SG", "MY"),
    "pt": ("TL", "BR"),
    "hi": ("IN",),
    "bn": ("BD", "IN"),
    "ne": ("NP",),
    "si": ("LK",),
    "ur": ("PK",),
    "am": ("ET",),
    "sw": ("KE", "TZ", "UG"),
    "zh_Hant": ("TW", "HK"),
    "ko": ("KR",),
}


class LocaleError(RuntimeError):
    """The configured default language cannot be used."""


def html_lang(code):
    """Return the BCP 47 tag for a locale code, for ``lang`` attributes (zh_Hans -> zh-Hans)."""
    return code.replace("_", "-")


def language_name(code):
    """Return a language's name in itself, or the code when it is not one of ours."""
    return INTERVIEW_NAMES.get(code, code)


def text_direction(code):
    """Return "rtl" or "ltr" for a locale code."""
    return Locale.parse(code).text_direction


def language_choices():
    """Return each interview language as the person may recognise it: (code, own name, where spoken, officer's name).

    The countries are named in the language itself (CLDR), the officer's name for
    the language in the interface's.
    """
    officer = Locale.parse(current_code())
    choices = []
    for code in interview_locales():
        own = Locale.parse(code)
        where = format_list([own.territories[t] for t in SPOKEN_IN.get(code, ())], locale=own)
        choices.append((code, INTERVIEW_NAMES[code], where, own.get_display_name(officer)))
    return choices


def has_catalog(code):
    """Return whether a locale can be used: English needs none, the others a compiled catalog."""
    return code == SOURCE_LOCALE or (TRANSLATIONS / code / "LC_MESSAGES" / f"{DOMAIN}.mo").exists()


def usable_locales(configured, default):
    """Return the configured locales that have a catalog; raise LocaleError if the default has none."""
    unknown = [c for c in configured if c not in INTERVIEW_NAMES]
    if unknown:
        raise LocaleError(f"unknown locale(s) in SCREENING_LOCALES: {', '.join(unknown)}")
    if default in INTERVIEW_ONLY:
        raise LocaleError(f"{default!r} is a language of the interview only: choose an interface language as default")
    if default not in configured or not has_catalog(default):
        raise LocaleError(
            f"the default locale {default!r} has no compiled catalog or is not configured; "
            "run `make setup` (it compiles the catalogs) or choose another SCREENING_DEFAULT_LOCALE"
        )
    return tuple(c for c in configured if has_catalog(c))


def supported():
    """Return the locales the interface offers."""
    return current_app.config["SCREENING_LOCALES_USABLE"]


def interview_locales():
    """Return the locales an interview may be held in: the interface's, then those for the interview only."""
    return current_app.config["SCREENING_INTERVIEW_LOCALES"]


def _best_from_environment(offered):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in os.environ.get(variable, "").split(":"):
            tag = part.split(".")[0]
            if not tag or tag in ("C", "POSIX"):
                continue
            try:
                parsed = Locale.parse(tag)
            except (ValueError, TypeError):
                continue
            for code in offered:
                if code == tag or Locale.parse(code).language == parsed.language:
                    return code
    return None


def select_locale():
    """Return the locale of this request: the person's while the phone is handed over, else the interface's."""
    if has_request_context() and g.get("handover_lang"):
        return g.handover_lang
    return interface_locale()


def interface_locale():
    """Return the interface locale, in the documented order (the shell's language for commands)."""
    offered = supported()
    default = current_app.config["SCREENING_DEFAULT_LOCALE"]
    if not has_request_context():
        return _best_from_environment(offered) or default
    asked = request.args.get("lang")
    if asked in offered:
        return asked
    if session.get("lang") in offered:
        return session["lang"]
    user = g.get("user")
    if user and user.get("locale") in offered:
        return user["locale"]
    best = request.accept_languages.best_match([html_lang(c) for c in offered])
    return best.replace("-", "_") if best else default


def current_code():
    """Return the code of the locale in use (zh_Hans, not zh_Hans_CN): the interface's, or a document's."""
    locale = get_locale()
    for code in interview_locales():
        if str(Locale.parse(code)) == str(locale):
            return code
    return current_app.config["SCREENING_DEFAULT_LOCALE"]


def translate_to(text, code):
    """Return a lazily translated text rendered in the locale ``code``."""
    with force_locale(code):
        return str(text)


def lang_url(code):
    """Return a link to this same page with ``lang`` set: a plain link, no JavaScript.

    A query-only address keeps whatever path the browser shows, and repeats
    nothing of it into the page.
    """
    return "?" + urlencode({**request.args.to_dict(), "lang": code})


def list_words(items):
    """Join short items as the locale in use writes a list ("A, B and C", "A、B和C", "A B และC")."""
    return format_list([str(item) for item in items], locale=Locale.parse(current_code()))


def language_in(code, document_code):
    """Return a language's name in the document's language, with its own name beside it when they differ."""
    own = language_name(code)
    if code == document_code or code not in INTERVIEW_NAMES:
        return own
    name = Locale.parse(code).get_display_name(Locale.parse(document_code))
    return gettext("%(language)s (%(own_name)s)", language=name, own_name=own)


def template_context():
    """Return what every template needs to declare and switch its language."""
    code = current_code()
    return {
        "lang": html_lang(code),
        "dir": text_direction(code),
        "locale_code": code,
        "language_names": {c: LANGUAGE_NAMES[c] for c in supported()},
    }


def init_app(app):
    """Check the catalogs, wire Flask-Babel, and give templates their language helpers."""
    listed = (app.config["SCREENING_LOCALES"] or "").split(",")
    configured = tuple(c.strip() for c in listed if c.strip()) or tuple(INTERVIEW_NAMES)
    usable = usable_locales(configured, app.config["SCREENING_DEFAULT_LOCALE"])
    app.config["SCREENING_LOCALES_USABLE"] = tuple(c for c in usable if c in LANGUAGE_NAMES)
    app.config["SCREENING_INTERVIEW_LOCALES"] = usable
    missing = sorted(set(configured) - set(usable))
    if missing:
        app.logger.warning("no compiled catalog for %s: not offered (run `make setup`)", ", ".join(missing))
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["SCREENING_DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["SCREENING_TIMEZONE"]
    Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    app.context_processor(template_context)
    from screening.i18n import dates

    app.add_template_filter(dates.datetime_short)
    app.add_template_filter(dates.datetime_document)
    app.add_template_filter(dates.date_document)
    app.add_template_filter(list_words)
    app.add_template_global(translate_to)
    app.add_template_global(lang_url)
    app.add_template_global(html_lang)
    app.add_template_global(language_name)
    app.add_template_global(text_direction)
