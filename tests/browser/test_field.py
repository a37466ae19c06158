"""The interview as issue 12 found it on a phone: each defect, driven as the officer meets it.

Every page passed through is also checked by Phone.look, at 360 and 320 px: no
sideways scrolling, and no word of either language broken inside itself
although it fits on a line (tests/browser/page_checks.js).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.officer import Officer
from tests.browser.server import PASSWORD
from tests.conftest import SCAM_COMPOUND

NARROW = {"width": 320, "height": 740}


@pytest.fixture
def officer(phones):
    """Return the officer, logged in on a fresh phone with JavaScript on, a screening started in English."""
    driver = Officer(phones())
    driver.log_in()
    driver.start()
    return driver


def test_a_khmer_and_a_burmese_interview_keep_every_word_whole_at_320_px(phones):
    for language in ("ភាសាខ្មែរ", "မြန်မာ"):
        officer = Officer(phones(label=f"[{language}] "))
        officer.page.set_viewport_size(NARROW)
        officer.log_in()
        officer.start(language=language)
        officer.run(SCAM_COMPOUND)
        assert officer.outcome()[0] == "presumed"


def test_the_officers_language_sits_under_the_persons_in_each_box_and_the_circle_in_its_middle(phones):
    officer = Officer(phones())
    officer.log_in()
    officer.start(language="ភាសាខ្មែរ")
    page = officer.page
    page.set_viewport_size(NARROW)
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.choices.yesno .choice')].map((choice) => {
            const label = choice.querySelector('label');
            const person = label.querySelector('.person-lang').getBoundingClientRect();
            const officer = label.querySelector('.officer-lang').getBoundingClientRect();
            const box = label.getBoundingClientRect();
            const circle = getComputedStyle(label, '::before');
            const circleMiddle = box.top + parseFloat(circle.top) + parseFloat(circle.marginTop)
                + parseFloat(circle.height) / 2;
            return {
                under: officer.top >= person.bottom - 1,
                middle: Math.abs(circleMiddle - (box.top + box.height / 2)),
                fills: Math.abs(box.height - choice.getBoundingClientRect().height),
            };
        })"""
    )
    assert len(boxes) >= 8
    for box in boxes:
        assert box["under"], "the officer's language must be under the person's, not beside it"
        assert box["middle"] < 1.5, f"the circle is {box['middle']:.1f} px off the middle of its box"
        assert box["fills"] < 1, "the label must fill the box that is tapped"
    # A tap just below a box, in the gap between two rows, selects nothing.
    first = page.locator(".choices.yesno .choice").first
    area = first.bounding_box()
    page.mouse.click(area["x"] + area["width"] / 2, area["y"] + area["height"] + 2)
    expect(page.locator(".choices.yesno input:checked")).to_have_count(0)


def test_the_interview_shows_the_apps_name_progress_the_question_and_the_exit_nothing_else(officer):
    page = officer.page
    for _page in range(3):
        expect(page.get_by_role("navigation", name="Account")).to_have_count(0)
        expect(page.get_by_role("link", name="Statistics")).to_have_count(0)
        expect(page.get_by_role("link", name="Exit this page")).to_be_visible()
        expect(page.get_by_text(re.compile(r"^Part \d of \d · "))).to_be_visible()
        assert page.locator("header").bounding_box()["height"] <= 64
        officer.step(look=False)


def test_a_language_chosen_on_the_login_page_stays_and_becomes_the_interview_language(phones):
    phone = phones()
    page = phone.page
    page.goto("/login")
    page.get_by_role("link", name="ភាសាខ្មែរ").click()
    page.locator("#username").fill("linguist")
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.evaluate("() => document.documentElement.lang") == "km"
    page.goto("/new")
    assert page.locator("#interview_lang").input_value() == "km"
    # Back to English for the other tests that use this account.
    page.goto("/?lang=en")


def test_a_case_stopped_before_any_answer_says_so_and_what_was_not_asked(officer):
    page = officer.page
    page.get_by_role("link", name="Stop the interview").click()
    page.get_by_label("The person was too distressed to go on", exact=True).check()
    page.get_by_role("button", name="Stop the interview").click()
    expect(page.get_by_role("heading", name="Stopped before any question was answered")).to_be_visible()
    expect(page.get_by_text("No trafficking indicated")).to_have_count(0)
    expect(page.get_by_role("heading", name="Not asked")).to_be_visible()
    officer.look("case-stopped-empty")


def test_the_last_page_says_it_finishes_the_progress_stays_in_bounds_and_the_result_names_who_to_refer_to(officer):
    page = officer.page
    seen = []
    while officer.page_id() != "officer":
        if officer.page_id():
            seen.append(page.get_by_text(re.compile(r"^Part \d+ of \d+")).inner_text())
        officer.step(SCAM_COMPOUND, look=False)
    expect(page.get_by_role("button", name="Finish the screening")).to_be_visible()
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)
    for progress in seen:
        part, parts = map(int, re.findall(r"\d+", progress)[:2])
        assert 1 <= part <= parts, progress
    officer.step(SCAM_COMPOUND)
    assert officer.outcome()[0] == "presumed"
    body = page.locator("main").inner_text()
    assert "adult_combination" not in body
    assert "(rule" not in body
    referrals = page.get_by_role("list").filter(has_text="anti-trafficking unit")
    expect(referrals).to_have_count(1)


def test_the_check_page_lists_several_answers_one_per_line(officer):
    officer.run({"channel": ["facebook", "known_person"]}, until="check")
    chosen = officer.page.locator("ul.chosen").filter(has_text="Facebook or Messenger")
    expect(chosen.get_by_role("listitem")).to_have_text(
        ["Facebook or Messenger", "A friend, a relative or someone you know"]
    )


def test_none_of_these_clears_the_ticks_and_back_after_an_error_shows_the_page_before(officer):
    page = officer.page
    officer.run({}, until="channel")
    page.get_by_label("Facebook or Messenger", exact=True).check()
    officer.move_on(page.get_by_role("button", name="There was no job or offer"))
    officer.run({}, until="needs")
    # Sent with nothing answered: the page says what is missing, in place.
    officer.move_on(page.get_by_role("button", name="Save and continue"))
    expect(page.get_by_role("alert")).to_be_visible()
    page.go_back()
    page.wait_for_function("() => !document.body.dataset.busy && document.body.dataset.step.endsWith('/q/kept_there')")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Did any of these keep you there?")
    officer.run({}, until="check")
    row = page.get_by_role("definition").filter(has_text="There was no job or offer")
    expect(row).to_have_count(1)
    expect(page.get_by_text("Facebook or Messenger", exact=True)).to_have_count(0)


def test_a_page_sent_while_the_connection_is_down_keeps_its_answers_and_goes_when_it_is_back(officer):
    page = officer.page
    officer.run({}, until="channel")
    page.get_by_label("Telegram", exact=True).check()
    page.get_by_label("A job website", exact=True).check()
    officer.phone.allowed_console.append(re.compile(re.escape("net::ERR_INTERNET_DISCONNECTED")))
    page.context.set_offline(True)
    page.get_by_role("button", name="Save and continue").click()
    notice = page.get_by_role("status").filter(has_text="No connection")
    expect(notice).to_be_visible()
    assert officer.page_id() == "channel"
    expect(page.get_by_label("Telegram", exact=True)).to_be_checked()
    expect(page.get_by_label("A job website", exact=True)).to_be_checked()
    page.context.set_offline(False)
    page.wait_for_function("() => !document.body.dataset.step.endsWith('/q/channel')", timeout=20_000)
    expect(notice).to_be_hidden()
    officer.run({}, until="check")
    chosen = page.locator("ul.chosen").filter(has_text="Telegram")
    expect(chosen.get_by_role("listitem")).to_have_text(["Telegram", "A job website"])


def test_the_phone_keeps_the_static_files_and_never_a_page_or_an_answer(officer):
    page = officer.page
    base = officer.phone.base_url
    assert page.evaluate("() => navigator.serviceWorker.ready.then((ready) => !!ready.active)")
    answered = []
    page.on("response", lambda response: answered.append((response.url.removeprefix(base), response)))
    officer.run({}, until="check")
    # A whole page load: its style sheet and script come from the phone, the page from the server.
    page.goto(f"/s/{officer.reference}")
    page.wait_for_load_state("load")
    sources = {path: response.from_service_worker for path, response in answered}
    assert sources["/static/app.css"] is True
    assert sources["/static/worker.js"] is True
    assert sources[f"/s/{officer.reference}"] is False
    assert not any(kept for path, kept in sources.items() if not path.startswith("/static/"))
    kept = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
            }
            return urls;
        }"""
    )
    assert "/static/app.css" in kept
    assert [url for url in kept if not url.startswith("/static/")] == []
