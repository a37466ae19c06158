"""Two languages at once: the person's language on question and consent pages, the officer's underneath."""

import pytest
from markupsafe import escape

from screening.i18n.languages import translate_to
from screening.instrument import questionnaire
from tests.conftest import Interview

PERSON_LOCALES = ["th", "km", "lo", "my", "vi", "zh_Hans", "id", "ms", "fil", "pt"]


def person_text(app, text, code):
    """Return a text in the person's language, escaped as the page shows it."""
    with app.test_request_context():
        return str(escape(translate_to(text, code)))


@pytest.mark.parametrize("code", PERSON_LOCALES)
def test_a_question_is_shown_in_the_persons_language_with_the_officers_underneath(app, interview, client, code):
    interview.start(interview_lang=code)
    page = client.get(interview.url("danger_now")).get_data(as_text=True)
    question = questionnaire.BY_ID["danger_now"]
    translated = person_text(app, question.text, code)
    assert translated != str(escape(question.text))
    tag = code.replace("_", "-")
    assert f'<span class="person-lang" lang="{tag}" dir="ltr">{translated}</span>' in page
    assert '<span class="officer-lang" lang="en" dir="ltr">Are you in danger right now?</span>' in page
    for choice in question.choices:
        assert person_text(app, choice.text, code) in page


def test_an_officers_question_is_shown_only_in_the_officers_language(app, interview, client):
    interview.start(interview_lang="km")
    page = client.get(interview.url("stage")).get_data(as_text=True)
    stage = page.split('<fieldset id="stage"', 1)[1].split("</fieldset>", 1)[0]
    assert "Where did you meet the person?" in stage
    assert 'class="person-lang"' not in stage
    assert person_text(app, questionnaire.BY_ID["stage"].text, "km") not in page


def test_the_consent_script_is_in_the_persons_language(app, client, users):
    driver = Interview(client)
    driver.login()
    response = client.post(
        "/new", data={"post": "x", "interview_lang": "my", "interpreter": "independent", "private": "y"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    for paragraph in questionnaire.CONSENT_SCRIPT:
        assert f'<span class="person-lang" lang="my" dir="ltr">{person_text(app, paragraph, "my")}</span>' in page


def test_when_both_speak_one_language_nothing_is_shown_twice(interview, client):
    client.get("/?lang=th")
    interview.start(interview_lang="th")
    page = client.get(interview.url("danger_now")).get_data(as_text=True)
    assert 'class="officer-lang' not in page
    assert '<html lang="th"' in page


def test_the_officers_interface_language_does_not_change_the_interview_language(app, interview, client, db):
    interview.start(interview_lang="lo")
    client.get("/?lang=vi")
    page = client.get(interview.url("danger_now")).get_data(as_text=True)
    assert '<span class="person-lang" lang="lo" dir="ltr">' in page
    assert '<span class="officer-lang" lang="vi" dir="ltr">' in page
    assert next(db.query("select interview_lang from screenings"))["interview_lang"] == "lo"


def test_the_interview_language_is_offered_from_every_supported_language(interview, client):
    page = client.get("/new").get_data(as_text=True)
    for code in PERSON_LOCALES:
        assert f'<option value="{code}"' in page
