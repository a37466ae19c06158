"""The languages of the interview only: every text the person meets is theirs, Urdu reads right to left,
the person can point to their language, and their sheet prints in it, in its script and digits."""

import re
from html import unescape

import pytest
from babel import Locale
from flask_babel import force_locale, gettext
from markupsafe import escape

from screening.i18n.catalogs import PERSON_TEMPLATE, read_catalog
from screening.i18n.languages import INTERVIEW_ONLY, language_choices
from screening.i18n.person import INTERVIEW_ONLY as PERSON_LANGUAGES
from screening.i18n.person import msgid, person_messages, template_messages
from screening.referral import pdf, typefaces
from tests import renderers
from tests.conftest import IN_DANGER, SCAM_COMPOUND, actor, add_organisation, refer
from tests.test_pdf import document_text, overflowing_lines, uncovered
from tests.test_referral_documents import overlapping_boxes

NEW = list(INTERVIEW_ONLY)
# Ghostscript draws the headline stroke of bold Devanagari and Bengali a pixel apart from poppler
# and MuPDF: 1.6% to 2.8% of a sheet's blocks, measured, with the same glyphs in the same places.
# A font drawn wrong differs in 4% or more (tests/renderers.py).
SHEET_TOLERANCE = {"hi": 0.035, "ne": 0.035, "bn": 0.035}
# Names that stay as they are in every language.
BRANDS = re.compile(
    r"^[\W\d_]*(Facebook|WhatsApp|Telegram|LINE|WeChat|TikTok|Instagram|Zalo|Viber|Messenger)?[\W\d_]*$"
)


def test_nine_languages_are_offered_for_the_interview_and_none_for_the_interface(app, client, interview):
    assert set(NEW) == {"hi", "bn", "ne", "si", "ur", "am", "sw", "zh_Hant", "ko"} == set(PERSON_LANGUAGES)
    interview.login()
    page = client.get("/new").get_data(as_text=True)
    for code, name in INTERVIEW_ONLY.items():
        assert f'<option value="{code}">{escape(name)}</option>' in page
    assert app.config["SCREENING_LOCALES_USABLE"] == tuple(
        c for c in app.config["SCREENING_LOCALES_USABLE"] if c not in NEW
    )
    assert "hi" not in app.config["SCREENING_LOCALES_USABLE"]
    # Asking for Hindi as the interface language gives the default, not a half-translated interface.
    assert 'lang="en"' in client.get("/?lang=hi").get_data(as_text=True)


@pytest.mark.parametrize("code", NEW)
def test_an_interview_shows_the_person_only_texts_of_their_language(app, client, interview, code):
    shown = []
    original = app.jinja_env.globals["translate_to"]

    def recording(text, lang):
        result = original(text, lang)
        shown.append((msgid(text), result))
        return result

    app.jinja_env.globals["translate_to"] = recording
    try:
        interview.login()
        interview.start(interview_lang=code)
        client.get(f"/s/{interview.reference}/consent")
        response = interview.run(IN_DANGER, visit=True)
    finally:
        app.jinja_env.globals["translate_to"] = original
    assert response.status_code == 200
    person = set(person_messages())
    assert len({m for m, _ in shown}) > 60
    assert {m for m, _ in shown} <= person, "a text the person sees is not in person.pot"
    # A brand stays as it is, and so may a country whose name the language writes as English does (CLDR).
    same = set(Locale.parse(code).territories.values())
    untranslated = sorted({m for m, result in shown if result == m and not BRANDS.match(m) and m not in same})
    assert untranslated == []


def test_every_text_of_the_persons_sheet_and_questions_is_in_the_persons_template(app):
    person = set(person_messages())
    # person.pot is as make messages writes it: a text added for the person is not left out.
    assert {m.id for m in read_catalog(PERSON_TEMPLATE) if m.id} == person
    assert template_messages("pdf/info.html") <= person
    assert "Do you agree to answer some questions?" in person
    assert "Choose one" in person
    # The officer's texts are not the person's.
    assert "Save and continue" not in person
    assert "If yes, move to a safer place before you go on, if you can." not in person


def test_the_urdu_interview_is_laid_out_right_to_left_with_the_officers_text_left_to_right(client, interview):
    interview.login()
    consent = interview.start(interview_lang="ur", consent="yes")
    assert consent.status_code == 302
    page = client.get(interview.url("danger_now")).get_data(as_text=True)
    assert '<main id="main" dir="rtl">' in page
    person = re.findall(r'<span class="person-lang" lang="ur" dir="(\w+)">', page)
    officer = re.findall(r'<span class="officer-lang[^"]*" lang="en" dir="(\w+)">', page)
    assert person
    assert set(person) == {"rtl"}
    assert officer
    assert set(officer) == {"ltr"}
    assert '<p class="progress" dir="ltr">' in page
    assert '<p class="officer-note" dir="ltr">' in page
    # The same interview in Hindi stays left to right.
    interview.start(interview_lang="hi")
    hindi = client.get(interview.url("danger_now")).get_data(as_text=True)
    assert '<main id="main">' in hindi
    assert 'lang="hi" dir="ltr"' in hindi


def test_the_person_points_to_their_language_and_nothing_the_officer_entered_is_lost(client, interview, db):
    interview.login()
    typed = {"post": "Mae Sot checkpoint", "interview_lang": "en", "interpreter": "none", "private": "y"}
    picker = client.post("/new", data={**typed, "choose": "language"})
    page = picker.get_data(as_text=True)
    assert picker.status_code == 200
    assert '<span class="own" lang="ne" dir="ltr">नेपाली</span>' in page
    assert '<span class="spoken" lang="ne" dir="ltr">नेपाल</span>' in page
    assert '<span class="own" lang="ur" dir="rtl">اردو</span>' in page
    assert '<span class="officer-lang" lang="en">Nepali</span>' in page
    assert 'value="Mae Sot checkpoint"' in page
    assert db["screenings"].count == 0
    chosen = client.post(
        "/new",
        data={
            "chosen": "1",
            "post": "Mae Sot checkpoint",
            "interpreter": "none",
            "private": "y",
            "interview_lang": "ne",
        },
    )
    form = chosen.get_data(as_text=True)
    assert chosen.status_code == 200
    assert '<option value="ne" selected>' in form
    assert 'value="Mae Sot checkpoint"' in form
    assert 'id="interpreter-none" name="interpreter" value="none" checked' in form
    assert 'class="has-error' not in form, "nothing is checked before the officer continues"
    assert db["screenings"].count == 0
    started = client.post("/new", data={**typed, "interview_lang": "ne"})
    assert started.status_code == 302
    assert db.execute("select interview_lang from screenings").fetchone()[0] == "ne"


def test_each_language_is_named_in_itself_with_where_it_is_spoken_in_itself(app):
    with app.test_request_context("/?lang=th"):
        choices = {code: rest for code, *rest in language_choices()}
    assert choices["bn"][:2] == ["বাংলা", "বাংলাদেশ এবং ভারত"]
    assert choices["sw"][1] == "Kenya, Tanzania na Uganda"
    assert choices["ko"][0] == "한국어"
    assert choices["bn"][2] == Locale.parse("bn").get_display_name("th")


@pytest.fixture
def sheet(app, db, interview, users):
    """Return a function rendering a referred adult's "information for you" sheet in a language."""
    interview.login()

    def render(code):
        interview.start(interview_lang=code)
        interview.run({**SCAM_COMPOUND, "danger_now": "yes"})
        from screening.cases import records

        screening = records.find(db, interview.reference)
        organisation = db["organisations"].get(add_organisation(db, name=f"EXAMPLE - Shelter {code}"))
        referral = refer(db, screening, organisation, users["officer"])
        with app.test_request_context():
            return pdf.info_html(screening, referral, organisation, code)

    return render


@pytest.mark.parametrize("code", NEW)
def test_the_persons_sheet_is_in_their_language_and_every_character_has_a_font(app, sheet, code):
    html = sheet(code)
    text = document_text(html)
    for english in template_messages("pdf/info.html"):
        if "%(" not in english:
            assert unescape(str(escape(english))) not in text, english
    assert uncovered(text) == []
    for paper in ("a4", "letter"):
        document = pdf.layout(html, paper)
        assert overlapping_boxes(document) == [], paper
        assert overflowing_lines(document) == [], paper
    data = pdf.render(html, "a4")
    assert renderers.renderers_disagree(data, tolerance=SHEET_TOLERANCE.get(code, renderers.PAGE_TOLERANCE)) == []
    reference = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", html).group(0)
    assert renderers.qr_codes_zbar(renderers.pages(data, "mupdf")[0]) == [("QR-Code", reference)]


def test_the_urdu_sheet_reads_right_to_left_on_paper(app, sheet):
    html = sheet("ur")
    assert '<html lang="ur" dir="rtl">' in html
    with app.test_request_context(), force_locale("ur"):
        title = gettext("Information for you")
    page = pdf.layout(html, "a4").pages[0]._page_box
    runs = list(_text_boxes(page))
    heading = next(box for box in runs if box.text.strip() == title)
    right, left = max(b.position_x + b.width for b in runs), min(b.position_x for b in runs)
    assert heading.position_x + heading.width == pytest.approx(right, abs=2)
    assert heading.position_x > left + 20
    # A phone number and the case reference keep their order inside the right-to-left text: a
    # number in spaced groups is the classic victim ("000 000 23 855+").
    text = renderers.extracted_text(pdf.render(html, "a4"))
    assert "+855 23 000 000" in text
    assert re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", text)


def _text_boxes(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", []):
        yield from _text_boxes(child)


def test_bengali_and_nepali_sheets_write_dates_and_page_numbers_in_their_own_digits(sheet):
    bengali = sheet("bn")
    assert re.search(r"তারিখ: [০-৯]{1,2} \S+, [০-৯]{4}", bengali)
    assert "counter(page, bengali)" in bengali
    nepali = sheet("ne")
    assert re.search(r"मिति: [०-९]{4} \S+ [०-९]{1,2}", nepali)
    assert "counter(page, devanagari)" in nepali
    # Hindi writes Western digits by default (CLDR), as Hindi print mostly does.
    assert re.search(r"तारीख: \d{1,2} \S+ \d{4}", sheet("hi"))


# A name in each script of the new languages: Devanagari, Bengali, Sinhala, Urdu, Ethiopic, Hangul, traditional Han.
NEW_SCRIPTS = "राम বিশ্বাস কমল සුනිල් پرویز علی አበበ 김민수 陳志豪"


@pytest.mark.parametrize("lang", ["en", "th", "zh_Hans"])
def test_a_name_typed_in_any_new_script_prints_in_a_referral(app, db, interview, users, lang):
    from screening.cases import records
    from screening.referral import person

    interview.login()
    interview.start()
    interview.run({**SCAM_COMPOUND, "danger_now": "yes"})
    screening = records.find(db, interview.reference)
    person.save(db, actor(db), screening, name=NEW_SCRIPTS, contact="", date_of_birth="")
    organisation = db["organisations"].get(add_organisation(db))
    referral = refer(db, screening, organisation, users["officer"])
    with app.test_request_context():
        details = person.stored(db, screening["id"])
        answers = records.answers(db, screening["id"])
        html = pdf.referral_html(screening, referral, details, answers, {"full_name": "Officer"}, lang)
        data = pdf.render(html, "a4")
    assert f"<bdi>{NEW_SCRIPTS}</bdi>" in html
    assert uncovered(NEW_SCRIPTS) == []
    drawn = renderers.extracted_text(data)
    for word in ("राम", "김민수", "陳志豪", "አበበ"):
        assert word in drawn
    assert renderers.renderers_disagree(data) == []


def test_the_persons_sheet_prints_in_any_interview_language_the_referral_only_in_the_interfaces(
    client, db, interview, users
):
    from screening.cases import records

    interview.login()
    interview.start(interview_lang="hi")
    interview.run({**SCAM_COMPOUND, "danger_now": "yes"})
    screening = records.find(db, interview.reference)
    organisation = db["organisations"].get(add_organisation(db, print_lang="th"))
    referral = refer(db, screening, organisation, users["officer"])
    base = f"/s/{interview.reference}/referrals/{referral['id']}"
    assert client.get(f"{base}/info.pdf").status_code == 200
    assert client.get(f"{base}/info.pdf?lang=ur").status_code == 200
    assert client.get(f"{base}.pdf?lang=ur").status_code == 200
    printed = [(row["document"], row["lang"]) for row in db.query("select document, lang from exports order by id")]
    assert printed == [("info", "hi"), ("info", "ur"), ("referral", "th")]


def test_the_korean_and_traditional_faces_are_declared_only_for_documents_that_need_them():
    # Each costs every render a fontconfig lookup (0.1 to 0.2 s).
    plain = typefaces.font_css('<html lang="en"><p>Somchai</p>')
    assert "PDF Korean" not in plain
    assert "PDF CJK TC" not in plain
    assert "PDF Korean" in typefaces.font_css('<html lang="en"><p>김민수</p>')
    assert 'html:lang(zh-Hant), html:lang(zh-Hant) * { font-family: "PDF Latin", "PDF CJK TC"' in typefaces.font_css(
        '<html lang="zh-Hant">'
    )


def test_a_traditional_character_outside_the_cut_face_brings_in_the_full_face():
    # The cut traditional face holds what the sheet writes; a rare character in a name needs the full face.
    sheet = typefaces.font_css('<html lang="zh-Hant"><p>給你的資訊</p>')
    assert '"PDF CJK TC"' in sheet
    assert "PDF CJK TC Extra" not in sheet
    assert "PDF CJK TC Extra" in typefaces.font_css('<html lang="zh-Hant"><p>給你的資訊 龘</p>')


def test_a_referral_names_an_interview_only_language_in_the_documents_language_too(app):
    # "اردو" alone tells a caseworker in Bangkok nothing.
    from screening.i18n.languages import language_in

    with app.test_request_context():
        with force_locale("en"):
            assert language_in("ur", "en") == "Urdu (اردو)"
        with force_locale("th"):
            assert language_in("ne", "th") == f"{Locale.parse('ne').get_display_name('th')} (नेपाली)"
