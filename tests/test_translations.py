"""Every supported catalog is complete, keeps its placeholders, compiles, and says it is a first draft."""

import pytest

from screening.i18n.catalogs import REVIEW_MARK, catalog_path, placeholders, problems, read_catalog
from screening.i18n.languages import ALL_LOCALES, INTERVIEW_ONLY, TRANSLATIONS

TRANSLATED = [code for code in (*ALL_LOCALES, *INTERVIEW_ONLY) if code != "en"]


@pytest.mark.parametrize("code", TRANSLATED)
def test_a_supported_catalog_translates_every_message_with_the_same_placeholders(code):
    assert problems(code) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_a_supported_catalog_is_compiled(code):
    assert (TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo").exists()


@pytest.mark.parametrize("code", TRANSLATED)
def test_a_catalog_says_it_awaits_native_speaker_review(code):
    assert REVIEW_MARK in read_catalog(catalog_path(code)).header_comment


def test_translating_md_says_the_translations_are_unreviewed_first_drafts():
    guide = (TRANSLATIONS.parent / "TRANSLATING.md").read_text()
    assert "first draft written by the developers, not yet\nreviewed by a native speaker" in guide


@pytest.mark.parametrize("code", TRANSLATED)
def test_translating_md_has_a_glossary_of_key_terms_for_each_language(code):
    guide = (TRANSLATIONS.parent / "TRANSLATING.md").read_text()
    section = guide.split(f"({code})", 1)
    assert len(section) == 2, f"no glossary heading for {code}"
    table_rows = [line for line in section[1].split("\n### ")[0].splitlines() if line.startswith("| ")]
    assert len(table_rows) >= 12


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Enter an age from %(min)d to %(max)d", ["%(max)d", "%(min)d"]),
        ("Case %(reference)s", ["%(reference)s"]),
        ("No placeholder", []),
    ],
)
def test_placeholders_are_found_by_name(text, expected):
    assert placeholders(text) == expected


def test_the_check_reports_a_dropped_placeholder_and_an_empty_translation(tmp_path, monkeypatch):
    from babel.messages.pofile import write_po

    from screening.i18n import catalogs as translate

    catalog = read_catalog(catalog_path("th"))
    catalog["Enter an age from %(min)d to %(max)d"].string = "%(min)d"
    catalog["Page not found"].string = ""
    folder = tmp_path / "th" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setattr(translate, "TRANSLATIONS", tmp_path)
    monkeypatch.setattr(translate, "ROOT", tmp_path)
    monkeypatch.setattr(translate, "TEMPLATE", TRANSLATIONS / "messages.pot")
    found = problems("th")
    assert any("placeholders differ" in p and "Enter an age from" in p for p in found)
    assert any("untranslated" in p and "Page not found" in p for p in found)
