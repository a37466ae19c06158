"""Dates as each language writes them: its patterns, Buddhist-Era years for Thai, and its own digits on paper.

The interface shows dates in the officer's language with Western digits, as
forms and phones do. A printed document follows its language all the way: the
month in words and, where the language writes them by default (CLDR's default
numbering system: Bengali, Nepali, Burmese), its own digits.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import get_datetime_format, get_time_format
from flask import current_app

from screening.i18n.languages import current_code

BUDDHIST_ERA_OFFSET = 543
# The zero of each numbering system a locale may write its digits in by default (CLDR).
DIGIT_ZEROS = {"beng": 0x09E6, "deva": 0x0966, "mymr": 0x1040, "arabext": 0x06F0}


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


def numbering_system(code):
    """Return the numbering system a locale writes its numbers in by default ("latn", "beng", "deva"...)."""
    return Locale.parse(code).default_numbering_system


def local_digits(text, code):
    """Return text with its ASCII digits written in the locale's own digits, where the locale uses them."""
    zero = DIGIT_ZEROS.get(numbering_system(code))
    return text.translate({ord("0") + i: zero + i for i in range(10)}) if zero else text


def _format_stamp(stamp, date_width, *, with_time=True, with_zone=False, in_digits=False):
    """Format a stored ISO timestamp in the locale in use and the post's time zone."""
    if not stamp:
        return ""
    code = current_code()
    locale = Locale.parse(code)
    zone = ZoneInfo(current_app.config["SCREENING_TIMEZONE"])
    local = datetime.fromisoformat(stamp).astimezone(zone)
    pattern = locale.date_formats[date_width].pattern
    if code in current_app.config["SCREENING_BUDDHIST_ERA_LOCALES"]:
        pattern = _buddhist_pattern(pattern, local.year)
    if with_time:
        time_pattern = get_time_format("short", locale=locale).pattern
        pattern = get_datetime_format(date_width, locale=locale).replace("{1}", pattern).replace("{0}", time_pattern)
    text = babel_format_datetime(local, pattern + (" ZZZZ" if with_zone else ""), tzinfo=zone, locale=locale)
    return local_digits(text, code) if in_digits else text


def datetime_short(stamp):
    """Format a stored ISO timestamp for the interface locale, in Buddhist-Era years where configured."""
    return _format_stamp(stamp, "short")


def datetime_document(stamp):
    """Format a timestamp for a printed document: the month in words and the time zone shown.

    A document travels to other provinces and countries: "12/7/26, 8:55 AM" is
    read as July in most of them, and a time means nothing without its zone.
    Its digits are the language's own where it writes them so (Bengali, Nepali, Burmese).
    """
    return _format_stamp(stamp, "medium", with_zone=True, in_digits=True)


def date_document(stamp):
    """Format the day of a timestamp for the person's own sheet: "7 December 2026", in the sheet's language."""
    return _format_stamp(stamp, "long", with_time=False, in_digits=True)
