"""Printed text in the scripts WeasyPrint needs help with: Khmer, Lao and Burmese line breaks; text that reads back.

Line breaks. Khmer, Lao and Burmese write words without spaces. Browsers break their lines
with dictionaries; WeasyPrint (through Pango) breaks Thai but not Khmer, Lao or
Burmese, whose lines then run out of their cells. ICU's line breaker finds the
word boundaries; a zero-width space goes in at each, only in the HTML handed to
WeasyPrint, never after a stacking virama (U+1039, U+17D2), which joins the next
consonant, and never before a combining mark.

Reading back. WeasyPrint maps each glyph to the text of the first cluster it
was drawn in. Scripts that reorder or combine glyphs (a Khmer vowel drawn
before its consonant, Thai's sara am, Burmese medials) draw the same glyph in
other clusters later, so text copied, searched or read aloud from the PDF came
out garbled. Each run of such text is therefore wrapped in a marked-content
span whose /ActualText is the run's own text, without the zero-width spaces
(PDF 1.7, 14.9.4): poppler, MuPDF, Acrobat and screen readers take it instead
of the glyphs' mapping. ``install_actual_text`` wraps WeasyPrint's text drawing
once; the span is plain marked content, allowed in PDF/A.

PDF/A level. A document claims level U (every glyph maps to text) only when it
does; otherwise level B.
"""

import re
import unicodedata
from functools import lru_cache

from icu4py.breakers import LineBreaker
from icu4py.locale import Locale

ZWSP = "\u200b"
BOM = "\ufeff"
NO_BREAK_AFTER = {"\u1039", "\u17d2"}
# Runs of each script that needs help, with the locale ICU segments it with.
SCRIPT_RUNS = {
    "km": re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+"),
    "lo": re.compile(r"[\u0e80-\u0eff]+"),
    "my": re.compile(r"[\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f]+"),
}
TAG = re.compile(r"(<[^>]*>)")
# Runs of these scripts are drawn with their /ActualText.
REORDERING_SCRIPTS = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\ua9ff\uaa60-\uaa7f]")


@lru_cache(maxsize=8)
def _locale(code):
    return Locale(code)


def _may_break_between(before, after):
    return before not in NO_BREAK_AFTER and not unicodedata.category(after).startswith("M")


def segment_run(run, code):
    """Return one run of Khmer, Lao or Burmese with zero-width spaces between its words."""
    cuts = [end for _start, end in LineBreaker(run, _locale(code)).segments()][:-1]
    out, last = [], 0
    for cut in cuts:
        if 0 < cut < len(run) and _may_break_between(run[cut - 1], run[cut]):
            out.append(run[last:cut])
            last = cut
    out.append(run[last:])
    return ZWSP.join(out)


def segment_text(text):
    """Return plain text with break opportunities in every Khmer, Lao and Burmese run."""
    for code, pattern in SCRIPT_RUNS.items():
        text = pattern.sub(lambda match, code=code: segment_run(match.group(0), code), text)
    return text


def segment_html(html):
    """Return HTML with break opportunities in its text, leaving tags and attributes alone."""
    parts = TAG.split(html)
    return "".join(part if part.startswith("<") else segment_text(part) for part in parts)


def actual_text(text):
    """Return the marked-content property list that gives a run of text its /ActualText."""
    utf16 = (BOM + text.replace(ZWSP, "")).encode("utf-16-be").hex()
    return f"<</ActualText <{utf16}>>>"


def install_actual_text():
    """Make WeasyPrint draw every run of Thai, Lao, Khmer or Burmese inside a span with its /ActualText."""
    import weasyprint.draw as draw

    if getattr(draw.draw_text, "actual_text", False):
        return
    drawn_by_weasyprint = draw.draw_text

    def draw_text(stream, textbox, *args, **kwargs):
        if not REORDERING_SCRIPTS.search(textbox.text):
            return drawn_by_weasyprint(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", actual_text(textbox.text))
        try:
            return drawn_by_weasyprint(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw_text.actual_text = True
    draw.draw_text = draw_text


# A ToUnicode entry that maps a glyph to no text: WeasyPrint writes one for each glyph but
# the last of a cluster drawn with several (a Khmer vowel in two parts, a Burmese medial).
# The text still reads right (install_actual_text), but PDF/A level U wants every
# glyph mapped, so such a document claims level B, as it truly is.
EMPTY_MAPPING = re.compile(rb"^<[0-9a-f]+> <>$")


def glyphs_without_text(pdf):
    """Return whether a PDF being written maps some glyph to no text."""
    for item in pdf.objects:
        if isinstance(item, dict) and item.get("Type") == "/Font" and "ToUnicode" in item:
            mapping = pdf.objects[int(item["ToUnicode"].split()[0])]
            if any(isinstance(line, bytes) and EMPTY_MAPPING.match(line) for line in mapping.stream):
                return True
    return False


def claim_conformance(pdf, level):
    """Set the PDF/A conformance level (b"B" or b"U") that the metadata of a PDF being written claims."""
    metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    xml = b"".join(metadata.stream)
    claimed = re.sub(rb'conformance="[ABU]"', b'conformance="' + level + b'"', xml)
    if claimed == xml and b'conformance="' + level + b'"' not in xml:
        raise RuntimeError("the PDF/A conformance level was not found in the metadata")
    metadata.stream[:] = [claimed]
