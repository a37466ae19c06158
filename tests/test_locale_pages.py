"""Every page of an interview, the result and the case list, in every locale: right lang, no English left."""

import re
from html import unescape

import pytest

from screening.i18n import catalogs as translate
from screening.i18n.languages import LANGUAGE_NAMES
from tests.conftest import Interview

LOCALES = [code for code in LANGUAGE_NAMES if code != "en"]
# English words that stay English in a translated page: names of apps and the like.
MIN_WORDS = 2


def translated_english(code):
    """Return the English messages that must not show on this locale's pages.

    That is every message of the template, unless the catalog deliberately keeps
    it as it is (a proper name); placeholders are cut out, keeping the longest part.
    """
    catalog = translate.read_catalog(translate.catalog_path(code))
    found = []
    for message in translate.read_catalog(translate.TEMPLATE):
        if not message.id or isinstance(message.id, tuple | list):
            continue
        ours = catalog.get(message.id)
        if ours is not None and ours.string == message.id:
            continue
        longest = max(re.split(r"%\(\w+\)[sd]", message.id), key=len).strip()
        if len(longest.split()) >= MIN_WORDS:
            found.append(longest)
    return found


def visible_text(html):
    """Return what a page shows: no tags, no head, no language switcher (languages named in themselves)."""
    body = re.split(r"<body[^>]*>", html, maxsplit=1)[1]
    body = re.sub(r'<footer class="languages">.*?</footer>', "", body, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def pages_of_an_interview(client, interview, code):
    """Yield (path, html) for every page of a whole interview, the result and the case list."""
    client.get(f"/?lang={code}")
    interview.start(interview_lang=code)
    location = f"/s/{interview.reference}/q/safety"
    answers = {"age": "30", "stage": "at_destination", "possibly_minor": "no", "sex": "female", "nationality": "KHM"}
    for _step in range(60):
        response = client.get(location)
        yield location, response.get_data(as_text=True)
        if location.endswith("/check"):
            location = re.search(r'href="([^"]+/q/[^"]+)"', response.get_data(as_text=True).split("<h1>", 1)[1]).group(
                1
            )
            continue
        if "/q/" not in location:
            break
        page_id = location.split("/q/")[1].split("?")[0]
        data = {}
        from screening.instrument import questionnaire

        for q in questionnaire.QUESTIONS:
            if q.page_id == page_id:
                data[q.id] = answers.get(q.id, {"yesno": "no", "multi": ["none"], "number": "30"}.get(q.kind, "x"))
                if q.kind == "single" and q.id not in answers:
                    data[q.id] = q.values[0]
        location = client.post(location, data=data).headers["Location"]
    yield "/", client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("code", LOCALES)
def test_every_page_is_in_the_locale_with_no_english_left(app, client, users, code):
    english = translated_english(code)
    interview = Interview(client)
    interview.login()
    seen = 0
    for path, html in pages_of_an_interview(client, interview, code):
        seen += 1
        assert f'<html lang="{code.replace("_", "-")}"' in html, path
        text = visible_text(html)
        leaked = [message for message in english if message in text]
        assert not leaked, (path, leaked[:5])
    assert seen > 20
