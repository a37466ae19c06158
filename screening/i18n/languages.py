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
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_datetime_format, get_time_format
from babel.lists import format_list
from flask import current_app, g, has_request_context, request, session
from flask_babel import Babel, force_locale, get_locale, gettext

from screening.config import TRANSLATIONS_DIR

TRANSLATIONS = TRANSLATIONS_DIR
DOMAIN = "messages"
SOURCE_LOCALE = "en"
BUDDHIST_ERA_OFFSET = 543

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


class LocaleError(RuntimeError):
    """The configured default language cannot be used."""


def html_lang(code):
    """Return the BCP 47 tag for a locale code, for ``lang`` attributes (zh_Hans -> zh-Hans)."""
    return code.replace("_", "-")


def language_name(code):
    """Return a language's name in itself, or the code when it is not one of ours."""
    return LANGUAGE_NAMES.get(code, code)


def text_direction(code):
    """Return "rtl" or "ltr" for a locale code."""
    return Locale.parse(code).text_direction


def has_catalog(code):
    """Return whether a locale can be used: English needs none, the others a compiled catalog."""
    return code == SOURCE_LOCALE or (TRANSLATIONS / code / "LC_MESSAGES" / f"{DOMAIN}.mo").exists()


def usable_locales(configured, default):
    """Return the configured locales that have a catalog; raise LocaleError if the default has none."""
    unknown = [c for c in configured if c not in LANGUAGE_NAMES]
    if unknown:
        raise LocaleError(f"unknown locale(s) in SCREENING_LOCALES: {', '.join(unknown)}")
    if default not in configured or not has_catalog(default):
        raise LocaleError(
            f"the default locale {default!r} has no compiled catalog or is not configured; "
            "run `make setup` (it compiles the catalogs) or choose another SCREENING_DEFAULT_LOCALE"
        )
    return tuple(c for c in configured if has_catalog(c))


def supported():
    """Return the locales this app offers."""
    return current_app.config["SCREENING_LOCALES_USABLE"]


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
    """Return the code of the interface locale in use (zh_Hans, not zh_Hans_CN)."""
    locale = get_locale()
    for code in supported():
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


def _buddhist_pattern(pattern, year):
    """Replace the year field of a CLDR pattern with a quoted Buddhist-Era year."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "y":
            run = len(pattern) - len(pattern[i:].lstrip("y"))
            be = year + BUDDHIST_ERA_OFFSET
            out.append(f"'{be % 100:02d}'" if run == 2 else f"'{be}'")
            i += run
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def _format_stamp(stamp, date_width, with_zone):
    """Format a stored ISO timestamp in the locale in use and the post's time zone."""
    if not stamp:
        return ""
    code = current_code()
    locale = Locale.parse(code)
    zone = ZoneInfo(current_app.config["SCREENING_TIMEZONE"])
    local = datetime.fromisoformat(stamp).astimezone(zone)
    date_pattern = locale.date_formats[date_width].pattern
    if code in current_app.config["SCREENING_BUDDHIST_ERA_LOCALES"]:
        date_pattern = _buddhist_pattern(date_pattern, local.year)
    time_pattern = get_time_format("short", locale=locale).pattern
    joined = get_datetime_format(date_width, locale=locale).replace("{1}", date_pattern).replace("{0}", time_pattern)
    return babel_format_datetime(local, joined + (" ZZZZ" if with_zone else ""), tzinfo=zone, locale=locale)


def datetime_short(stamp):
    """Format a stored ISO timestamp for the interface locale, in Buddhist-Era years where configured."""
    return _format_stamp(stamp, "short", with_zone=False)


def datetime_document(stamp):
    """Format a timestamp for a printed document: the month in words and the time zone shown.

    A document travels to other provinces and countries: "12/7/26, 8:55 AM" is
    read as July in most of them, and a time means nothing without its zone.
    """
    return _format_stamp(stamp, "medium", with_zone=True)


def list_words(items):
    """Join short items as the locale in use writes a list ("A, B and C", "A、B和C", "A B และC")."""
    return format_list([str(item) for item in items], locale=Locale.parse(current_code()))


def language_in(code, document_code):
    """Return a language's name in the document's language, with its own name beside it when they differ."""
    own = language_name(code)
    if code == document_code or code not in LANGUAGE_NAMES:
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
    configured = tuple(c.strip() for c in listed if c.strip()) or ALL_LOCALES
    app.config["SCREENING_LOCALES_USABLE"] = usable_locales(configured, app.config["SCREENING_DEFAULT_LOCALE"])
    missing = sorted(set(configured) - set(app.config["SCREENING_LOCALES_USABLE"]))
    if missing:
        app.logger.warning("no compiled catalog for %s: not offered (run `make setup`)", ", ".join(missing))
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["SCREENING_DEFAULT_LOCALE"]
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["SCREENING_TIMEZONE"]
    Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    app.context_processor(template_context)
    app.add_template_filter(datetime_short)
    app.add_template_filter(datetime_document)
    app.add_template_filter(list_words)
    app.add_template_global(translate_to)
    app.add_template_global(lang_url)
    app.add_template_global(html_lang)
    app.add_template_global(language_name)
