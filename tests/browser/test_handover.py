"""The phone handed to the person, in Chromium: a clip recorded, approved and heard; nothing else reachable.

Chromium records from a WAV file instead of a microphone
(``--use-file-for-fake-audio-capture``), so the whole recording path runs:
MediaRecorder, Opus in WebM, the upload, the server's checks, the approval by a
second person, and the person's play button.
"""

import math
import re
import struct
import wave

import pytest

from screening.audio import recordings
from screening.db.connection import connect
from screening.i18n.languages import ALL_LOCALES, INTERVIEW_ONLY
from screening.i18n.person import msgid
from screening.instrument import questionnaire
from tests.browser.officer import Officer
from tests.browser.phone import CHROMIUM, LAUNCH_ARGS, NARROW_WIDTH, PHONE_HEIGHT, Phone

CODE = "4826"
KEY = recordings.key(msgid(questionnaire.BY_ID["danger_now"].text))
# Records every play() of the page: its source once playing, or the error that stopped it.
PLAYS = """
window.__plays = [];
const play = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function () {
  const started = play.call(this);
  started.then(() => window.__plays.push(this.currentSrc), (e) => window.__plays.push("error: " + e.name));
  return started;
};
"""


@pytest.fixture(scope="module")
def microphone(tmp_path_factory):
    """Return a WAV file of a spoken-length tone, for Chromium's fake microphone."""
    path = tmp_path_factory.mktemp("microphone") / "voice.wav"
    rate = 48_000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        samples = (int(8000 * math.sin(2 * math.pi * 220 * n / rate)) for n in range(rate * 4))
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return path


@pytest.fixture(scope="module")
def audio_browser(browser, microphone):
    """Return a second Chromium whose microphone is the WAV file, and which may play sound without a tap."""
    fake = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone}",
        "--autoplay-policy=no-user-gesture-required",
    ]
    launched = browser.browser_type.launch(executable_path=str(CHROMIUM), args=[*LAUNCH_ARGS, *fake])
    yield launched
    launched.close()


def database(server):
    return connect(server.database)


def hand_over(officer, code=CODE):
    page = officer.page
    page.get_by_role("link", name="Hand the phone to the person").click()
    officer.look("hand over")
    page.get_by_label("A code to take the phone back").fill(code)
    page.get_by_role("button", name="Hand over the phone").click()
    page.wait_for_url(re.compile(r"/turn$"))


def test_a_speaker_records_in_the_browser_another_approves_and_the_person_hears_it(audio_browser, server, axe_enabled):
    phones = []
    try:
        speaker = Phone(audio_browser, server.url, axe=axe_enabled, screenshots="audio", label="speaker: ")
        phones.append(speaker)
        speaker.context.grant_permissions(["microphone"])
        Officer(speaker, "speaker").log_in()
        page = speaker.page
        assert page.url.endswith("/audio")
        page.goto(f"/audio/km/{KEY}")
        speaker.look("audio text")
        page.get_by_role("button", name="Start recording").click()
        page.wait_for_timeout(2200)
        page.get_by_role("button", name="Stop recording").click()
        page.locator("[data-playback]").wait_for(state="visible")
        page.get_by_role("button", name="Send the recording").click()
        page.get_by_text("Recording sent").wait_for()
        db = database(server)
        row = next(db.query("select * from recordings where lang = 'km' order by id desc limit 1"))
        assert (row["status"], row["mime"], row["source"]) == ("pending", "audio/webm", "browser")
        assert 1500 <= row["duration_ms"] <= 4000
        # Opus at a speech rate: about 2 KB a second (16 kbit/s), with the container around it.
        assert row["bytes"] * 1000 / row["duration_ms"] < 3500

        reviewer = Phone(audio_browser, server.url, axe=axe_enabled, label="reviewer: ")
        phones.append(reviewer)
        Officer(reviewer, "reviewer").log_in()
        reviewer.page.goto(f"/audio/km/{KEY}")
        reviewer.page.get_by_role("button", name="Approve").click()
        reviewer.page.get_by_text("Approved: the person hears this recording.").wait_for()
        assert db.execute("select status from recordings where id = ?", [row["id"]]).fetchone()[0] == "approved"

        phone = Phone(audio_browser, server.url, axe=axe_enabled, label="officer: ")
        phones.append(phone)
        phone.page.add_init_script(PLAYS)
        officer = Officer(phone)
        officer.log_in()
        officer.start(language="ភាសាខ្មែរ")
        hand_over(officer)
        turn = phone.page
        phone.look("turn", locale="km")
        listen = turn.locator("button.listen").first
        assert listen.is_visible()
        assert turn.locator("audio[data-clip]").first.is_hidden()  # the button replaces the browser's player
        listen.click()
        for _wait in range(50):
            plays = turn.evaluate("() => window.__plays")
            if plays:
                break
            turn.wait_for_timeout(100)
        assert plays == [f"{server.url}/audio/clip/{row['sha256']}.webm"]
    finally:
        for phone in phones:
            phone.finish()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_the_person_answers_alone_cannot_reach_anything_else_and_the_officer_takes_the_phone_back(
    phones, server, javascript
):
    phone = phones(javascript=javascript)
    # Refused addresses (403) and a wrong code (400) are what this test asks for.
    refused = re.compile(r"status of (403|400) ")
    officer = Officer(phone)
    officer.log_in()
    officer.start(language="English")
    reference = officer.reference
    hand_over(officer)
    page = phone.page
    phone.look("turn")
    phone.allowed_console.append(refused)
    # Back, and every address of the app, show nothing of the officer's pages or the case.
    page.go_back()
    assert reference not in page.content()
    assert page.get_by_role("link", name="Back to my questions").count() == 1
    page.goto(f"/s/{reference}")
    assert reference not in page.content()
    for path in ("/", "/new", "/desk", "/login?staff=1", f"/s/{reference}/check"):
        assert page.goto(path).status == 403, path
    page.goto("/turn")
    question = page.locator("input[name=question]").get_attribute("value")
    page.get_by_role("button", name="No", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("input[name=question]").get_attribute("value") != question
    page.get_by_role("link", name="Stop and give the phone back").click()
    phone.look("give back")
    phone.allowed_console.append(refused)
    page.get_by_label("Your code, or your password").fill("0000")
    page.get_by_role("button", name="Take the phone back").click()
    assert "4 tries left" in page.content()
    page.get_by_label("Your code, or your password").fill(CODE)
    page.get_by_role("button", name="Take the phone back").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Exit this page").count() == 1
    db = database(server)
    screening_id = db.execute("select id from screenings where reference = ?", [reference]).fetchone()[0]
    given = dict(db.execute("select question_id, by_person from answers where screening_id = ?", [screening_id]))
    assert given == {question: 1}


LANGUAGES = [*ALL_LOCALES, *INTERVIEW_ONLY]


def post_form(page, path, data):
    """Post a form as its page would: with the CSRF token of that page."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.request.get(path).text()).group(1)
    return page.request.post(path, form={"csrf_token": token, **data}, max_redirects=0)


def test_the_persons_pages_fit_a_narrow_phone_and_pass_axe_in_every_language(phones, server):
    phone = phones(label="person: ", screenshots="handover")
    Officer(phone, "officer").log_in()
    page = phone.page
    for lang in LANGUAGES:
        made = post_form(
            page, "/new", {"post": "Test post", "interview_lang": lang, "interpreter": "none", "private": "y"}
        )
        reference = made.headers["location"].split("/")[2]
        post_form(page, f"/s/{reference}/consent", {"consent": "yes"})
        assert post_form(page, f"/s/{reference}/hand-over", {"code": CODE}).status == 303
        page.goto("/turn")
        phone.look(f"turn {lang}", locale=lang)
        page.set_viewport_size({"width": NARROW_WIDTH, "height": PHONE_HEIGHT})
        shown = page.evaluate(
            """() => ({
              parts: [...document.querySelectorAll('main > *, main form > *')].filter((e) => e.offsetParent)
                .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ')[0] : '')),
              bottom: Math.max(...[...document.querySelectorAll('.person-buttons .answer')]
                .map((b) => b.getBoundingClientRect().bottom)),
              wide: document.documentElement.scrollWidth,
            })"""
        )
        assert shown["wide"] <= NARROW_WIDTH, lang
        assert shown["bottom"] <= PHONE_HEIGHT, (lang, shown)
        assert set(shown["parts"]) <= {
            "form",
            "h1.question",
            "button.listen",
            "p.hint",
            "div.person-buttons",
            "p.stop",
        }, shown
        page.set_viewport_size({"width": 360, "height": PHONE_HEIGHT})
        page.goto("/turn/back")
        phone.look(f"give back {lang}", locale=lang)
        assert post_form(page, "/turn/back", {"code": CODE}).status == 303
