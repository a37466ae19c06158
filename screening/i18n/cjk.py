"""The simplified Chinese face for printed documents, cut at set-up.

Debian's fonts-noto-cjk ships every face of Noto Sans CJK in one collection, and
CSS cannot pick a face out of a collection by file. The simplified Chinese face
is extracted and cut to the GB 2312 characters plus punctuation: WeasyPrint
keeps empty slots up to the highest glyph a document uses, which in the full
font made a Chinese referral ~300 KB instead of ~170 KB. The full face stays as
a fallback for the rare character (a name) outside that set. Cutting renumbers
the glyphs but leaves each its old CID; WeasyPrint writes glyph numbers where a
PDF reader expects CIDs, so MuPDF, Ghostscript (and very likely Adobe Reader)
drew the wrong glyphs or none, though poppler showed them. The cut font's CIDs
are therefore renumbered to equal its glyph numbers (number_cids_as_glyphs).
Keeping the old glyph numbers instead (``retain_gids``) also works but makes a
Chinese referral ~350 KB. PDF_FONT_BUILD names how the files are made, so that
files made the old way are made again.

Traditional Chinese and Korean documents take their faces straight from the
collection by PostScript name (``local()`` in pdf.py): cutting them cost two
minutes of every set-up, and a person's sheet in either is still under 150 KB.
The full faces number their CIDs as their glyphs already.
"""

from dataclasses import dataclass
from pathlib import Path

from screening.config import PACKAGE_DIR
from screening.i18n.fonts import WEIGHTS, FontsMissing

CJK_SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
PDF_FONT_DIR = PACKAGE_DIR / "pdf_fonts"
PDF_FONT_BUILD = "2: GB 2312 and punctuation, CIDs numbered as glyphs\n"
PDF_FONT_STAMP = PDF_FONT_DIR / "build.txt"
CJK_EXTRA_RANGES = ((0x0020, 0x007E), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF00, 0xFFEF))


def _encoded(codec, leads, trails):
    """Return the characters a double-byte national encoding can write."""
    chars = set()
    for first in leads:
        for second in trails:
            try:
                chars.add(ord(bytes((first, second)).decode(codec)))
            except (UnicodeDecodeError, TypeError):
                continue
    return chars


def _punctuation():
    return {cp for a, b in CJK_EXTRA_RANGES for cp in range(a, b + 1)}


def gb2312_characters():
    """Return the characters of the GB 2312 standard, and the punctuation printed beside them."""
    return _punctuation() | _encoded("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))


@dataclass(frozen=True)
class CjkFace:
    """One face of the collection: its name there, our file prefix, its characters, and whether a full copy is kept."""

    face: str
    prefix: str
    characters: object
    keep_full: bool = False


FACES = {
    "sc": CjkFace("Noto Sans CJK SC", "NotoSansCJKsc", gb2312_characters, keep_full=True),
}


def cjk_path(weight, full=False, face="sc"):
    """Return the path of a CJK face for printed documents (cut, or the full simplified face)."""
    return PDF_FONT_DIR / f"{FACES[face].prefix}{'-Full' if full else ''}-{WEIGHTS[weight]}.otf"


def build_pdf_cjk():
    """Extract the faces from Debian's CJK collections and cut them; return the paths written."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    PDF_FONT_DIR.mkdir(parents=True, exist_ok=True)
    current = PDF_FONT_STAMP.exists() and PDF_FONT_STAMP.read_text() == PDF_FONT_BUILD
    written = []
    for weight, style in WEIGHTS.items():
        source = CJK_SOURCE_DIR / f"NotoSansCJK-{style}.ttc"
        if not source.exists():
            raise FontsMissing(f"missing {source} (install the Debian package fonts-noto-cjk)")
        for key, spec in FACES.items():
            full = spec.keep_full and weight == 400
            targets = [cjk_path(weight, face=key)] + ([cjk_path(weight, full=True, face=key)] if full else [])
            if current and all(t.exists() and t.stat().st_mtime > source.stat().st_mtime for t in targets):
                continue
            face = next(f for f in TTCollection(str(source)).fonts if f["name"].getDebugName(1) == spec.face)
            if full:
                face.save(str(targets[1]))
            options = subset.Options()
            options.layout_features = ["*"]
            options.name_IDs = ["*"]
            options.notdef_outline = True
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=sorted(spec.characters()))
            subsetter.subset(face)
            subset.save_font(face, str(targets[0]), options)
            number_cids_as_glyphs(targets[0])
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
