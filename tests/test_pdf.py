"""Referral PDFs: in every locale they open, embed only our fonts, cover every character, and fit the page."""

import io
import json
import re
from html import unescape

import pytest
from fontTools.ttLib import TTCollection, TTFont
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from screening.cases import records as cases
from screening.i18n.cjk import CJK_SOURCE_DIR
from screening.i18n.languages import LANGUAGE_NAMES
from screening.referral import pdf, person, typefaces
from screening.referral.pdf_text import ZWSP
from tests.conftest import IN_DANGER, actor, add_organisation, refer

LOCALES = list(LANGUAGE_NAMES)


@pytest.fixture
def referred(app, db, interview, users):
    """Return (screening, referral, person, answers, officer) for a completed, referred adult case."""
    interview.start()
    interview.run(IN_DANGER)
    db.execute("update users set full_name = 'Officer Demo', agency = 'Demo Police' where username = 'officer'")
    screening = cases.find(db, interview.reference)
    details = {"name": "Nguyễn Thị Demo", "contact": "+84 90 000 0000", "date_of_birth": "1999-02-03"}
    person.save(db, actor(db), screening, **details)
    org_id = add_organisation(db)
    organisation = db["organisations"].get(org_id)
    referral = refer(
        db, screening, organisation, users["officer"], priority="emergency", services=["shelter", "medical"]
    )
    officer = next(db.query("select * from users where username = 'officer'"))
    return screening, referral, person.stored(db, screening["id"]), cases.answers(db, screening["id"]), officer


def referral_html(app, referred, lang):
    with app.test_request_context():
        return pdf.referral_html(*referred, lang)


def document_text(html):
    body = re.sub(r"<style.*?</style>|<title>.*?</title>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def font_cmaps():
    cmaps = []
    for _family, regular, _bold in typefaces.PDF_FONTS:
        if isinstance(regular, str):  # a face of Debian's CJK collection, by PostScript name
            faces = TTCollection(str(CJK_SOURCE_DIR / "NotoSansCJK-Regular.ttc"), lazy=True).fonts
            cmaps.append(set(next(f for f in faces if f["name"].getDebugName(6) == regular).getBestCmap()))
        else:
            cmaps.append(set(TTFont(str(regular)).getBestCmap()))
    return cmaps


CMAPS = None


def uncovered(text):
    global CMAPS
    CMAPS = CMAPS or font_cmaps()
    return sorted({ch for ch in text if not ch.isspace() and ch != ZWSP and not any(ord(ch) in c for c in CMAPS)})


@pytest.mark.parametrize("lang", LOCALES)
def test_a_referral_in_every_locale_opens_embeds_only_our_fonts_and_covers_every_character(app, referred, lang):
    html = referral_html(app, referred, lang)
    data = pdf.render(html, "a4", {"check": True})
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile2", "/FontFile3")), "font not embedded"
            fonts.add(font["/BaseFont"].split("+", 1)[1])
    assert all(name.startswith("PDF-") for name in fonts), fonts
    assert uncovered(document_text(html)) == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Referral of a person who may have been trafficked", "Nguyễn Thị Demo", "Officer Demo"]),
        ("vi", ["Nguyễn Thị Demo"]),
        ("zh_Hans", ["Nguyễn Thị Demo"]),
    ],
)
def test_latin_vietnamese_and_chinese_text_can_be_extracted(app, referred, lang, expected):
    data = pdf.render(referral_html(app, referred, lang))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for fragment in expected:
        assert fragment in text
    screening = referred[0]
    assert screening["reference"] in text


def test_the_pdf_is_pdf_a_3_with_the_referral_attached_as_json(app, referred):
    with app.test_request_context():
        attachment = pdf.payload(*referred)
    data = pdf.render(referral_html(app, referred, "en"), "a4", attachment)
    reader = PdfReader(io.BytesIO(data))
    metadata = reader.xmp_metadata
    assert metadata is not None
    xml = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xml
    assert 'pdfaid:conformance="U"' in xml, "every glyph of an English referral maps to text"
    attached = reader.attachments["referral.json"][0]
    document = json.loads(attached)
    assert document == json.loads(json.dumps(attachment))
    assert document["reference"] == referred[0]["reference"]
    assert document["person"]["name"] == "Nguyễn Thị Demo"
    assert document["assessment"]["outcome"] == "presumed"


def test_letter_paper_is_an_option(app, referred):
    data = pdf.render(referral_html(app, referred, "en"), "letter")
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_only_what_the_person_agreed_to_share_is_printed(app, db, referred, users):
    screening, _referral, details, answers, officer = referred
    organisation = db["organisations"].get(add_organisation(db, name="EXAMPLE - Clinic", kind="medical"))
    referral = refer(db, screening, organisation, users["officer"], items=["nationality"], services=["medical"])
    with app.test_request_context():
        html = pdf.referral_html(screening, referral, details, answers, officer, "en")
        attachment = pdf.payload(screening, referral, details, answers, officer)
    assert "Nguyễn Thị Demo" not in html
    assert "+84 90 000 0000" not in html
    assert "Not shared: no consent" in html
    assert "Cambodia" in html
    assert "The person did not agree to share the screening answers" in html
    assert "Passport or ID kept by someone else" not in html
    assert "answers" not in attachment
    assert attachment["person"] == {"nationality": "KHM"}


def test_the_urgent_panel_comes_first_when_the_result_is_urgent(app, referred):
    html = referral_html(app, referred, "en")
    assert html.index("Urgent: safety first") < html.index("Case reference")


def overflowing_lines(document):
    """Return the texts of line boxes wider than the block that holds them (on either side), or than the page.

    A list's bullet stands outside its item by design, on the right in a right-to-left list: it
    only has to stay on the page.
    """
    found = []

    def walk(box, left, right, marker):
        marker = marker or str(getattr(box, "element_tag", "")).endswith("::marker")
        if isinstance(box, boxes.BlockContainerBox) and not isinstance(box, boxes.LineBox) and not marker:
            left, right = box.content_box_x(), box.content_box_x() + box.width
        if isinstance(box, boxes.TextBox) and (box.position_x + box.width > right + 0.5 or box.position_x < left - 0.5):
            found.append(box.text)
        for child in getattr(box, "children", []):
            walk(child, 0 if marker else left, page_width if marker else right, marker)

    for page in document.pages:
        page_width = page._page_box.margin_width()
        walk(page._page_box, 0, page_width, False)
    return found


@pytest.mark.parametrize("lang", LOCALES)
def test_no_line_of_a_referral_is_wider_than_its_cell_or_the_page(app, referred, lang):
    document = pdf.layout(referral_html(app, referred, lang))
    assert overflowing_lines(document) == []


KHMER_LONG = "ការជួញដូរមនុស្សគឺជាការកេងប្រវ័ញ្ចដោយបង្ខំនិងការបោកប្រាស់" * 3
NARROW_CELL = (
    f'<table style="width: 40mm"><tr><td lang="km" style="overflow-wrap: normal">{KHMER_LONG}</td></tr></table>'
)


def test_the_layout_check_catches_an_unbroken_khmer_line_and_segmentation_cures_it():
    fonts = FontConfiguration()
    unbroken = HTML(string=NARROW_CELL).render(stylesheets=pdf._stylesheets("a4", fonts), font_config=fonts)
    assert overflowing_lines(unbroken)
    cured = pdf.layout(NARROW_CELL)
    assert overflowing_lines(cured) == []


@pytest.mark.parametrize(("lang", "level"), [("en", "U"), ("vi", "U"), ("zh_Hans", "U"), ("km", "B"), ("my", "B")])
def test_a_referral_claims_pdf_a_level_u_only_when_every_glyph_maps_to_text(app, referred, lang, level):
    data = pdf.render(referral_html(app, referred, lang))
    reader = PdfReader(io.BytesIO(data))
    xml = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert f'pdfaid:conformance="{level}"' in xml
    empty = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            mapping = font.get_object()["/ToUnicode"].get_object().get_data()
            empty += len(re.findall(rb"<[0-9a-f]+> <>", mapping))
    assert (empty == 0) == (level == "U")
