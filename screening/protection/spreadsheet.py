"""Cells that no spreadsheet runs as a formula, in every CSV file the app writes (OWASP, "CSV injection").

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
run as a formula by spreadsheets, which can call out to other programs or
sites. Every such cell gets a leading quote on export; an import takes exactly
that quote away again, so a file exported and imported back changes nothing.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED_FORMULA = re.compile("^'+[" + re.escape("".join(FORMULA_STARTS)) + "]")


def neutralise(text):
    """Return a cell that no spreadsheet runs as a formula: a ' before a dangerous first character.

    A text that already starts with quotes before such a character gets one more,
    so that ``unneutralise`` always gives back exactly what was stored.
    """
    if text.startswith(FORMULA_STARTS) or _QUOTED_FORMULA.match(text):
        return "'" + text
    return text


def unneutralise(text):
    """Remove the quote that ``neutralise`` put before a dangerous first character."""
    return text[1:] if _QUOTED_FORMULA.match(text) else text
