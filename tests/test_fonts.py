"""Web fonts: built from Debian's Noto fonts, one family per script, covering every translated character."""

import re
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from screening.config import TEMPLATES_DIR
from screening.i18n.catalogs import catalog_path, read_catalog
from screening.i18n.cjk import cjk_path
from screening.i18n.fonts import OUTPUT_DIR, SCRIPTS, WEIGHTS, css

# Which catalog exercises which script font.
CATALOG_OF_SCRIPT = {
    "thai": ("th",),
    "lao": ("lo",),
    "khmer": ("km",),
    "myanmar": ("my",),
    "vietnamese": ("vi",),
    "devanagari": ("hi", "ne"),
    "bengali": ("bn",),
    "sinhala": ("si",),
    "ethiopic": ("am",),
    "nastaliq": ("ur",),
}
SHAPED = ("thai", "lao", "khmer", "myanmar", "devanagari", "bengali", "sinhala", "nastaliq")
STATIC = Path(OUTPUT_DIR).parent


def catalog_text(code):
    catalog = read_catalog(catalog_path(code))
    return "".join(s for m in catalog if m.id for s in (m.string if isinstance(m.string, tuple | list) else [m.string]))


@pytest.mark.parametrize(
    ("script", "weight"), [(s, w) for s in SCRIPTS for w in s.weights], ids=lambda v: getattr(v, "key", str(v))
)
def test_each_script_font_is_built_as_woff2_and_covers_every_character_its_language_uses(script, weight):
    path = OUTPUT_DIR / script.file_name(weight)
    font = TTFont(path)
    assert font.flavor == "woff2"
    cmap = set(font.getBestCmap())
    text = "".join(catalog_text(code) for code in CATALOG_OF_SCRIPT[script.key])
    used = {ord(ch) for ch in text if ord(ch) in script.codepoints()}
    assert used, "the catalog uses no character of this script"
    missing = sorted(used - cmap)
    assert not missing, [f"U+{cp:04X} {unicodedata.name(chr(cp), '?')}" for cp in missing]


@pytest.mark.parametrize("script", [s for s in SCRIPTS if s.key in SHAPED], ids=lambda s: s.key)
def test_script_fonts_keep_their_shaping_rules(script):
    font = TTFont(OUTPUT_DIR / script.file_name(400))
    assert "GSUB" in font or "GPOS" in font


def test_each_script_has_its_own_family_and_unicode_range_and_they_do_not_overlap():
    families = [s.family for s in SCRIPTS]
    assert len(set(families)) == len(families)
    seen = set()
    for script in SCRIPTS:
        points = {cp for a, b in script.ranges for cp in range(a, b + 1)}
        assert not points & seen
        seen |= points
        assert not any(cp < 0x80 for cp in points), "no script font may claim plain ASCII"


def test_the_stylesheet_served_is_the_one_the_builder_writes():
    served = (OUTPUT_DIR / "fonts.css").read_text()
    assert served == css()
    for script in SCRIPTS:
        for weight in script.weights:
            assert f'src: url("{script.file_name(weight)}") format("woff2")' in served
    assert served.count("font-display: swap") == sum(len(s.weights) for s in SCRIPTS)
    assert "nastaliq-700" not in served, "Urdu has no bold: a phone downloads one Nastaliq file, not two"


def test_the_font_licence_is_shipped_beside_the_fonts():
    licence = (OUTPUT_DIR / "LICENSE-Noto.txt").read_text()
    assert "SIL Open Font License" in licence or "OFL" in licence


def test_burmese_and_khmer_get_a_line_height_of_at_least_1_8():
    stylesheet = (STATIC / "app.css").read_text()
    match = re.search(r":lang\(my\), :lang\(km\) \{ line-height: ([\d.]+); \}", stylesheet)
    assert match
    assert float(match.group(1)) >= 1.8


def test_urdu_gets_the_most_line_height_on_screen_and_on_paper():
    for stylesheet in (STATIC / "app.css", Path(TEMPLATES_DIR) / "pdf" / "print.css"):
        match = re.search(r":lang\(ur\) \{ line-height: ([\d.]+);", stylesheet.read_text())
        assert match, stylesheet.name
        assert float(match.group(1)) >= 2


def test_pages_link_the_font_stylesheet(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/static/fonts/fonts.css"' in page
    assert client.get("/static/fonts/fonts.css").status_code == 200


@pytest.mark.parametrize("weight", WEIGHTS)
def test_the_printed_chinese_font_numbers_each_glyphs_cid_as_the_glyph_itself(weight):
    # WeasyPrint writes glyph numbers where PDF readers look up CIDs: after the font is cut
    # down, a CID that is not the glyph's number draws the wrong glyph in MuPDF and Ghostscript.
    font = TTFont(str(cjk_path(weight)), lazy=True)
    charset = font["CFF "].cff.topDictIndex[0].charset
    assert len(charset) > 7000, "the GB 2312 characters"
    assert charset[0] == ".notdef"
    assert all(name == f"cid{gid:05d}" for gid, name in enumerate(charset[1:], 1))
    cmap = font.getBestCmap()
    assert {ord(c) for c in "国籍中文转介"} <= set(cmap)


def test_the_full_chinese_face_for_rare_characters_numbers_its_cids_as_its_glyphs_too():
    font = TTFont(str(cjk_path(400, full=True)), lazy=True)
    charset = font["CFF "].cff.topDictIndex[0].charset
    assert all(name == f"cid{gid:05d}" for gid, name in enumerate(charset[1:], 1))
    assert ord("喆") in font.getBestCmap(), "a name's character outside GB 2312"


@pytest.mark.parametrize(
    "name", ["NotoSansCJKkr-Regular", "NotoSansCJKkr-Bold", "NotoSansCJKtc-Regular", "NotoSansCJKtc-Bold"]
)
def test_the_korean_and_traditional_chinese_faces_printed_from_the_collection_number_cids_as_glyphs(name):
    # pdf.py takes these faces straight from Debian's collection (local()); they are not cut,
    # so MuPDF and Ghostscript draw them right only if each glyph's CID is its number already.
    from fontTools.ttLib import TTCollection

    from screening.i18n.cjk import CJK_SOURCE_DIR

    style = name.rsplit("-", 1)[1]
    faces = TTCollection(str(CJK_SOURCE_DIR / f"NotoSansCJK-{style}.ttc"), lazy=True).fonts
    font = next(f for f in faces if f["name"].getDebugName(6) == name)
    charset = font["CFF "].cff.topDictIndex[0].charset
    assert all(glyph == f"cid{gid:05d}" for gid, glyph in enumerate(charset[1:], 1))
    assert {ord(c) for c in ("한국어여권" if "kr" in name else "護照臺灣國籍")} <= set(font.getBestCmap())


@pytest.mark.parametrize(("face", "code"), [("tc", "zh_Hant"), ("kr", "ko")])
@pytest.mark.parametrize("weight", WEIGHTS)
def test_the_traditional_chinese_and_korean_print_faces_are_cut_to_their_sheet_and_number_cids_as_glyphs(
    face, code, weight
):
    font = TTFont(str(cjk_path(weight, face=face)), lazy=True)
    charset = font["CFF "].cff.topDictIndex[0].charset
    assert all(name == f"cid{gid:05d}" for gid, name in enumerate(charset[1:], 1))
    cmap = set(font.getBestCmap())
    written = {ord(c) for c in catalog_text(code) if not c.isspace()}
    assert sorted(written - cmap) == []
    if face == "kr":
        assert {ord(c) for c in "김민수이서연박지훈"} <= cmap, "the common Korean names"
