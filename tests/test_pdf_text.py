"""Break opportunities for Khmer, Lao and Burmese in printed documents."""

import unicodedata

import pytest

from screening.referral.pdf_text import ZWSP, segment_html, segment_text

SAMPLES = {
    "km": "ខ្ញុំចង់សួរសំណួរខ្លីៗមួយចំនួន",
    "lo": "ຂ້ອຍຢາກຖາມຄຳຖາມສັ້ນໆ",
    "my": "ကျွန်ုပ်သည်မေးခွန်းအချို့မေးချင်ပါသည်",
}


@pytest.mark.parametrize("code", SAMPLES)
def test_words_get_break_opportunities_and_the_text_is_otherwise_unchanged(code):
    segmented = segment_text(SAMPLES[code])
    assert segmented.count(ZWSP) >= 3
    assert segmented.replace(ZWSP, "") == SAMPLES[code]


@pytest.mark.parametrize("code", SAMPLES)
def test_no_break_after_a_stacking_virama_or_before_a_combining_mark(code):
    segmented = segment_text(SAMPLES[code] * 3)
    for i, ch in enumerate(segmented):
        if ch != ZWSP:
            continue
        assert segmented[i - 1] not in ("\u1039", "\u17d2")
        assert not unicodedata.category(segmented[i + 1]).startswith("M")


def test_a_break_is_never_put_after_a_khmer_coeng_even_where_icu_would():
    text = "ស្ត្រី" * 4
    segmented = segment_text(text)
    assert "\u17d2" + ZWSP not in segmented


@pytest.mark.parametrize("text", ["Hello world", "คุณอยู่ในอันตรายตอนนี้หรือไม่", "人口贩运", "Tiếng Việt"])
def test_latin_thai_chinese_and_vietnamese_are_left_alone(text):
    assert segment_text(text) == text


def test_only_text_is_segmented_never_tags_or_attributes():
    html = f'<p title="{SAMPLES["km"]}">{SAMPLES["km"]}</p>'
    out = segment_html(html)
    assert out.startswith(f'<p title="{SAMPLES["km"]}">')
    assert ZWSP in out.split(">", 1)[1]
