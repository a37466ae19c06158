"""The Chinese (simplified and traditional) and Korean faces for printed documents, cut at set-up.

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
Chinese referral ~350 KB. Each cut file has a stamp beside it naming how it
was made and the characters it holds, so that a file made another way, or for
a catalog since changed, is made again.

The traditional Chinese face is cut to what the person's sheet writes (its
catalog), the Korean face to the 2,350 Hangul syllables of KS X 1001 (and its
catalog): a few seconds of set-up each, where cutting to Big5 took twenty. A
traditional character outside the cut comes from the full face in the
collection, found by its PostScript name (``local()``, typefaces.py), whose
CIDs already equal its glyph numbers; uncut, a person's sheet in traditional
Chinese weighed 383 KB, and in Korean 283 KB.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from screening.config import PACKAGE_DIR
from screening.i18n.fonts import WEIGHTS, FontsMissing

CJK_SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
PDF_FONT_DIR = PACKAGE_DIR / "pdf_fonts"
PDF_FONT_BUILD = "3: cut, CIDs numbered as glyphs\n"
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


def catalog_characters(code):
    """Return every character a language's catalog writes."""
    from screening.i18n.catalogs import catalog_path, read_catalog, translations_of

    return {ord(c) for m in read_catalog(catalog_path(code)) if m.id for text in translations_of(m) for c in text}


def traditional_characters():
    """Return what the person's sheet in traditional Chinese writes: its catalog, and the punctuation."""
    return _punctuation() | catalog_characters("zh_Hant")


def korean_characters():
    """Return the 2,350 Hangul syllables of KS X 1001 (names included), the Korean catalog's, and the punctuation."""
    return _punctuation() | catalog_characters("ko") | _encoded("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))


@dataclass(frozen=True)
class CjkFace:
    """One face of the collection: its name there, our file prefix, its characters, and whether a full copy is kept."""

    face: str
    prefix: str
    characters: object
    keep_full: bool = False


# Traditional Chinese and Korean are cut small (a few seconds of set-up each, where Big5 took
# twenty); a character outside the cut comes from the full face in Debian's collection, which
# pdf.py declares only for a document that has one.
FACES = {
    "sc": CjkFace("Noto Sans CJK SC", "NotoSansCJKsc", gb2312_characters, keep_full=True),
    "tc": CjkFace("Noto Sans CJK TC", "NotoSansCJKtc", traditional_characters),
    "kr": CjkFace("Noto Sans CJK KR", "NotoSansCJKkr", korean_characters),
}


def cjk_path(weight, full=False, face="sc"):
    """Return the path of a CJK face for printed documents (cut, or the full simplified face)."""
    return PDF_FONT_DIR / f"{FACES[face].prefix}{'-Full' if full else ''}-{WEIGHTS[weight]}.otf"


def build_pdf_cjk():
    """Extract the faces from Debian's CJK collections and cut them; return the paths written."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    PDF_FONT_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for weight, style in WEIGHTS.items():
        source = CJK_SOURCE_DIR / f"NotoSansCJK-{style}.ttc"
        if not source.exists():
            raise FontsMissing(f"missing {source} (install the Debian package fonts-noto-cjk)")
        for key, spec in FACES.items():
            full = spec.keep_full and weight == 400
            targets = [cjk_path(weight, face=key)] + ([cjk_path(weight, full=True, face=key)] if full else [])
            characters = sorted(spec.characters())
            # The stamp names the way the file was made and the characters it was cut to.
            stamp = PDF_FONT_BUILD + hashlib.sha256(str(characters).encode()).hexdigest() + "\n"
            stamp_path = targets[0].with_suffix(".build")
            made = all(t.exists() and t.stat().st_mtime > source.stat().st_mtime for t in targets)
            if made and stamp_path.exists() and stamp_path.read_text() == stamp:
                continue
            face = next(f for f in TTCollection(str(source)).fonts if f["name"].getDebugName(1) == spec.face)
            if full:
                face.save(str(targets[1]))
            options = subset.Options()
            options.layout_features = ["*"]
            options.name_IDs = ["*"]
            options.notdef_outline = True
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=characters)
            subsetter.subset(face)
            subset.save_font(face, str(targets[0]), options)
            number_cids_as_glyphs(targets[0])
            stamp_path.write_text(stamp)
            written.extend(targets)
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
