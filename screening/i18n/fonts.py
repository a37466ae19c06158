"""Web fonts for the scripts phones may lack: Thai, Lao, Khmer, Burmese, and Vietnamese Latin.

At set-up (``python -m screening.i18n.fonts``, run by ``make setup``) Debian's Noto
fonts (package fonts-noto-core, SIL Open Font License) are cut down to their
script's characters and written as WOFF2 into ``screening/static/fonts``, with
the licence beside them. Each script gets its own family name and a
``unicode-range`` (in ``static/fonts.css``), so a phone downloads only the fonts
of the scripts a page really shows. All OpenType layout features are kept:
these scripts need shaping. Chinese relies on the phone's own fonts.
"""

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from screening.config import PACKAGE_DIR

SOURCE_DIR = Path("/usr/share/fonts/truetype/noto")
CJK_SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
# Printed documents need the Simplified Chinese face of Noto Sans CJK (Debian's
# fonts-noto-cjk ships all faces in one collection; CSS cannot pick a face). The
# face is cut to the GB 2312 characters plus punctuation: WeasyPrint keeps empty
# slots up to the highest glyph a document uses, which in the full font made a
# Chinese referral ~300 KB instead of ~170 KB. The full face stays as a fallback
# for the rare character (a name) outside that set. Cutting renumbers the glyphs
# but leaves each its old CID; WeasyPrint writes glyph numbers where a PDF
# reader expects CIDs, so MuPDF, Ghostscript (and very likely Adobe Reader) drew
# the wrong glyphs or none, though poppler showed them. The cut font's CIDs are
# therefore renumbered to equal its glyph numbers (number_cids_as_glyphs).
# Keeping the old glyph numbers instead (``retain_gids``) also works but makes a
# Chinese referral ~350 KB: WeasyPrint keeps an empty slot for every glyph below
# the highest one used. PDF_FONT_BUILD names how the files are made, so that
# files made the old way are made again.
PDF_FONT_DIR = PACKAGE_DIR / "pdf_fonts"
PDF_FONT_BUILD = "2: GB 2312 and punctuation, CIDs numbered as glyphs\n"
PDF_FONT_STAMP = PDF_FONT_DIR / "build.txt"
CJK_FACE = "Noto Sans CJK SC"
CJK_EXTRA_RANGES = ((0x0020, 0x007E), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF))
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

    def unicode_range(self):
        """Return the CSS unicode-range of this font."""
        return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in self.ranges)

    def codepoints(self):
        """Return every code point the font keeps."""
        return {cp for a, b in [*self.ranges, *SHAPING_HELPERS] for cp in range(a, b + 1)}

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

    missing = [str(source_path(s, w)) for s in SCRIPTS for w in WEIGHTS if not source_path(s, w).exists()]
    if missing:
        raise FontsMissing("missing font files (install the Debian package fonts-noto-core): " + ", ".join(missing))
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for script in SCRIPTS:
        for weight in WEIGHTS:
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
        for weight in WEIGHTS:
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


def cjk_path(weight, full=False):
    """Return the path of a Simplified Chinese font for printed documents (cut, or full)."""
    return PDF_FONT_DIR / f"NotoSansCJKsc{'-Full' if full else ''}-{WEIGHTS[weight]}.otf"


def gb2312_characters():
    """Return the characters of the GB 2312 standard, and the punctuation printed beside them."""
    chars = {cp for a, b in CJK_EXTRA_RANGES for cp in range(a, b + 1)}
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((first, second)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def build_pdf_cjk():
    """Extract the Simplified Chinese faces from Debian's CJK collections and cut them; return the paths."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    PDF_FONT_DIR.mkdir(parents=True, exist_ok=True)
    current = PDF_FONT_STAMP.exists() and PDF_FONT_STAMP.read_text() == PDF_FONT_BUILD
    written = []
    for weight, style in WEIGHTS.items():
        source = CJK_SOURCE_DIR / f"NotoSansCJK-{style}.ttc"
        if not source.exists():
            raise FontsMissing(f"missing {source} (install the Debian package fonts-noto-cjk)")
        targets = [cjk_path(weight)] + ([cjk_path(weight, full=True)] if weight == 400 else [])
        if current and all(t.exists() and t.stat().st_mtime > source.stat().st_mtime for t in targets):
            continue
        face = next(f for f in TTCollection(str(source)).fonts if f["name"].getDebugName(1) == CJK_FACE)
        if weight == 400:
            face.save(str(cjk_path(weight, full=True)))
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(gb2312_characters()))
        subsetter.subset(face)
        subset.save_font(face, str(cjk_path(weight)), options)
        number_cids_as_glyphs(cjk_path(weight))
        written.extend(targets)
    PDF_FONT_STAMP.write_text(PDF_FONT_BUILD)
    return written


def number_cids_as_glyphs(path):
    """Rewrite a CID-keyed OpenType font so that each glyph's CID equals its glyph number.

    Only the CFF table's charset changes; every other table refers to glyphs by
    number and is copied as it is.
    """
    from fontTools.ttLib import TTFont

    font = TTFont(str(path))
    top = font["CFF "].cff.topDictIndex[0]
    names = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(top.charset))]
    top.CharStrings.charStrings = {name: gid for gid, name in enumerate(names)}
    top.charset = names
    font.setGlyphOrder(names)
    font.save(str(path))


def is_built(output=OUTPUT_DIR):
    """Return whether every web font file exists."""
    return all((output / s.file_name(w)).exists() for s in SCRIPTS for w in WEIGHTS)


if __name__ == "__main__":
    try:
        paths = build() + build_pdf_cjk()
    except FontsMissing as exc:
        sys.exit(str(exc))
    fonts = [p for p in paths if p.suffix == ".woff2"]
    print(f"{len(fonts)} web fonts, {sum(p.stat().st_size for p in fonts) // 1024} KiB in all")
