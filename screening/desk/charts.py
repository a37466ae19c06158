"""Charts drawn on the server as SVG: horizontal bars, no JavaScript, readable in black and white.

Each chart stands beside a table with the same numbers, for screen readers and
printing; the SVG itself is marked as an image with a text alternative. Colours
are SVG attributes, not style: the content security policy forbids inline style.
"""

import unicodedata

from markupsafe import Markup, escape

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 160
BAR_WIDTH = 160
WIDTH = LABEL_WIDTH + BAR_WIDTH + 40
FONT_SIZE = 12
# Room for a label left of its bar, in the chart's units (pixels at its natural size).
LABEL_ROOM = LABEL_WIDTH - 8


def _advance(character):
    """Return the rough width of a character at FONT_SIZE: nothing for a mark, a whole em for a wide one."""
    if unicodedata.category(character) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(character) in ("W", "F"):
        return FONT_SIZE
    # Thai, Lao, Burmese, Khmer and the Indic scripts draw wider letters than Latin.
    return 0.8 * FONT_SIZE if ord(character) >= 0x0900 else 0.6 * FONT_SIZE


def fitted(label, room=LABEL_ROOM):
    """Return ``label`` cut short with an ellipsis so that it fits ``room`` (it is drawn right-aligned, to its bar)."""
    if sum(map(_advance, label)) <= room:
        return label
    used, kept = _advance("…"), []
    for character in label:
        used += _advance(character)
        if used > room:
            break
        kept.append(character)
    return "".join(kept).rstrip() + "…"


def bars(title, rows, shown, limit):
    """Return an SVG bar chart of [(label, count)]; ``shown`` turns a count into its displayed text.

    A count under ``limit`` is hidden: its bar is an outline as long as ``limit``
    would be, so that its length says no more than its text ("<11").
    """
    top = max([count for _label, count in rows] + [limit], default=1)
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%">'
    ]
    for i, (label, count) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        text = fitted(label)
        hidden = 0 < count < limit
        width = max(1, round(BAR_WIDTH * (limit if hidden else count) / top))
        fill = 'fill="none" stroke="#1d4f91" stroke-dasharray="3 2"' if hidden else 'fill="#1d4f91"'
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 5}" text-anchor="end" font-size="{FONT_SIZE}" '
            f'fill="#0b0c0c">{escape(text)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" {fill}/>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + BAR_HEIGHT - 5}" font-size="12" '
            f'fill="#0b0c0c">{escape(shown(count))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()
