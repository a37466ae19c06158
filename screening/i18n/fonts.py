"""Web fonts for the scripts phones may lack, one family per script.

Thai, Lao, Khmer, Burmese, Devanagari, Bengali, Sinhala, Ethiopic, Urdu's
Nastaliq, and the letters Vietnamese adds to Latin.

At set-up (``python -m screening.i18n.fonts``, run by ``make setup``) Debian's Noto
fonts (package fonts-noto-core, SIL Open Font License) are cut down to their
script's characters and written as WOFF2 into ``screening/static/fonts``, with
the licence beside them. Each script gets its own family name and a
``unicode-range`` (in ``static/fonts.css``), so a phone downloads only the fonts
of the scripts a page really shows. All OpenType layout features are kept:
these scripts need shaping. Chinese (simplified and traditional) and Korean rely
on the phone's own fonts: every phone that sells in the region has them, and a
web font for either would weigh megabytes.
"""

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from screening.config import PACKAGE_DIR

SOURCE_DIR = Path("/usr/share/fonts/truetype/noto")
LICENCE_SOURCE = Path("/usr/share/doc/fonts-noto-core/copyright")
OUTPUT_DIR = PACKAGE_DIR / "static" / "fonts"
WEIGHTS = {400: "Regular", 700: "Bold"}
# Characters every script font keeps besides its own block: joiners and the
# dotted circle that shaping engines show under a mark that stands alone.
SHAPING_HELPERS = [(0x200B, 0x200D), (0x25CC, 0x25CC)]


@dataclass(frozen=True)
class ScriptFont:
    """One script's web font: its family name, the Noto file it comes from, and its characters."""

    key: str
    family: str
    source: str
    ranges: tuple
    # Characters another script's block holds but this script writes too (Bengali's full stop is
    # Devanagari's danda): kept here as well, so that a Bengali page needs no Devanagari font.
    borrowed: tuple = ()
    # The weights built: Urdu's Nastaliq has no bold in its tradition, and its bold file would
    # double the 105 KB a phone downloads for it.
    weights: tuple = tuple(WEIGHTS)

    def unicode_range(self):
        """Return the CSS unicode-range of this font."""
        return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in [*self.ranges, *self.borrowed])

    def codepoints(self):
        """Return every code point the font keeps."""
        return {cp for a, b in [*self.ranges, *self.borrowed, *SHAPING_HELPERS] for cp in range(a, b + 1)}

    def file_name(self, weight):
        """Return the WOFF2 file name of one weight."""
        return f"{self.key}-{weight}.woff2"


SCRIPTS = (
    ScriptFont("thai", "Screening Thai", "NotoSansThai", ((0x0E00, 0x0E7F),)),
    ScriptFont("lao", "Screening Lao", "NotoSansLao", ((0x0E80, 0x0EFF),)),
    ScriptFont("khmer", "Screening Khmer", "NotoSansKhmer", ((0x1780, 0x17FF), (0x19E0, 0x19FF))),
    ScriptFont(
        "myanmar", "Screening Myanmar", "NotoSansMyanmar", ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F))
    ),
    # The scripts of the interview-only languages (person.py). Hindi and Nepali share Devanagari.
    ScriptFont("devanagari", "Screening Devanagari", "NotoSansDevanagari", ((0x0900, 0x097F), (0xA8E0, 0xA8FF))),
    ScriptFont("bengali", "Screening Bengali", "NotoSansBengali", ((0x0980, 0x09FF),), borrowed=((0x0964, 0x0965),)),
    ScriptFont("sinhala", "Screening Sinhala", "NotoSansSinhala", ((0x0D80, 0x0DFF),)),
    ScriptFont("ethiopic", "Screening Ethiopic", "NotoSansEthiopic", ((0x1200, 0x139F),)),
    # Urdu is written in Nastaliq, which Arabic-script phones rarely have; the marks
    # that set a run's direction come with it.
    ScriptFont(
        "nastaliq", "Screening Nastaliq", "NotoNastaliqUrdu", ((0x0600, 0x06FF), (0x200E, 0x200F)), weights=(400,)
    ),
    # The letters Vietnamese adds to Latin (as in Google Fonts' "vietnamese" subset),
    # used only inside lang="vi" so that no other page downloads it.
    ScriptFont(
        "vietnamese",
        "Screening Vietnamese",
        "NotoSans",
        (
            (0x0102, 0x0103),
            (0x0110, 0x0111),
            (0x0128, 0x0129),
            (0x0168, 0x0169),
            (0x01A0, 0x01A1),
            (0x01AF, 0x01B0),
            (0x0300, 0x0301),
            (0x0303, 0x0304),
            (0x0308, 0x0309),
            (0x0323, 0x0323),
            (0x0329, 0x0329),
            (0x1EA0, 0x1EF9),
            (0x20AB, 0x20AB),
        ),
    ),
)


class FontsMissing(RuntimeError):
    """Debian's Noto fonts are not installed."""


def source_path(script, weight):
    """Return the Noto TTF for one script and weight."""
    return SOURCE_DIR / f"{script.source}-{WEIGHTS[weight]}.ttf"


def build(output=OUTPUT_DIR):
    """Write every script's WOFF2 files and the licence; return the paths written."""
    from fontTools import subset

    missing = [str(source_path(s, w)) for s in SCRIPTS for w in s.weights if not source_path(s, w).exists()]
    if missing:
        raise FontsMissing("missing font files (install the Debian package fonts-noto-core): " + ", ".join(missing))
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for script in SCRIPTS:
        for weight in script.weights:
            options = subset.Options()
            options.flavor = "woff2"
            options.layout_features = ["*"]
            options.name_IDs = ["*"]
            options.hinting = False
            options.desubroutinize = True
            font = subset.load_font(str(source_path(script, weight)), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=sorted(script.codepoints()))
            subsetter.subset(font)
            target = output / script.file_name(weight)
            subset.save_font(font, str(target), options)
            written.append(target)
    licence = output / "LICENSE-Noto.txt"
    shutil.copyfile(LICENCE_SOURCE, licence)
    stylesheet = output / "fonts.css"
    stylesheet.write_text(css())
    return [*written, licence, stylesheet]


def css():
    """Return the @font-face rules: one family per script, limited by unicode-range."""
    rules = ["/* Generated by screening/i18n/fonts.py from Debian's Noto fonts (SIL OFL 1.1). */"]
    for script in SCRIPTS:
        for weight in script.weights:
            rules.append(
                "@font-face {\n"
                f'  font-family: "{script.family}";\n'
                f'  src: url("{script.file_name(weight)}") format("woff2");\n'
                f"  font-weight: {weight};\n"
                "  font-style: normal;\n"
                "  font-display: swap;\n"
                f"  unicode-range: {script.unicode_range()};\n"
                "}"
            )
    return "\n".join(rules) + "\n"


def is_built(output=OUTPUT_DIR):
    """Return whether every web font file exists."""
    return all((output / s.file_name(w)).exists() for s in SCRIPTS for w in s.weights)


if __name__ == "__main__":
    from screening.i18n.cjk import build_pdf_cjk

    try:
        paths = build() + build_pdf_cjk()
    except FontsMissing as exc:
        sys.exit(str(exc))
    fonts = [p for p in paths if p.suffix == ".woff2"]
    print(f"{len(fonts)} web fonts, {sum(p.stat().st_size for p in fonts) // 1024} KiB in all")
