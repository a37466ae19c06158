"""Whole journeys in a real browser at phone size, with JavaScript on and off, as an officer makes them.

Every page passed through is checked by Phone.look (width, fonts, console,
requests, axe); the outcome is read from the result's data attributes.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.officer import Officer
from tests.conftest import SCAM_COMPOUND

ADULT_ONLY_PAGES = {"deceived", "forced_to_go", "vulnerability", "pressure", "kept_there"}
URGENT = "Urgent: safety first"


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def javascript(request):
    """Run each journey with JavaScript on, and again with it off: the app must not need it."""
    return request.param


@pytest.fixture
def officer(phones, javascript):
    """Return the officer, logged in on a fresh phone."""
    driver = Officer(phones(javascript=javascript))
    driver.log_in()
    return driver


def test_an_officer_logs_in_and_lands_on_the_case_list(phones, javascript):
    officer = Officer(phones(javascript=javascript))
    officer.page.goto("/")
    expect(officer.page).to_have_url(re.compile(r"/login"))
    officer.log_in()
    expect(officer.page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    officer.look("cases")


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (SCAM_COMPOUND, ("presumed", "adult_combination", "false")),
        ({"coercion": ["confinement"]}, ("possible", "P3", "false")),
        ({"conditions": ["excessive_hours", "low_or_no_pay"]}, ("not_indicated", "none", "false")),
    ],
    ids=["presumed", "possible", "not-indicated"],
)
def test_an_adult_interview_ends_in_the_outcome_its_answers_establish(officer, answers, expected):
    officer.start()
    officer.run(answers)
    assert officer.outcome() == expected
    expect(officer.page.get_by_text("not a legal identification")).to_be_visible()


def test_a_child_is_asked_only_the_child_questions_and_referred_to_child_protection(officer):
    officer.start()
    officer.run({"age": "16", "act": "yes", "forms": ["sexual"], "accompanied": "yes"})
    assert officer.outcome() == ("presumed", "child_exploitation", "false")
    expect(officer.page.get_by_text("Treated as a child: always refer to child-protection services.")).to_be_visible()
    assert "accompanied" in officer.visited
    assert not ADULT_ONLY_PAGES & set(officer.visited)


def test_a_refusal_is_recorded_and_nothing_is_asked(officer):
    officer.start(consent="No, they do not agree")
    page = officer.page
    expect(page.get_by_role("heading", name="The person did not agree to the screening")).to_be_visible()
    officer.look("case-refused")
    page.goto(f"/s/{officer.reference}/q/safety")
    expect(page).to_have_url(re.compile(rf"/s/{officer.reference}$"))
    expect(page.get_by_text("This interview is not open for answers.")).to_be_visible()


def test_an_interview_stopped_halfway_goes_on_after_the_browser_is_closed(phones, javascript):
    first = Officer(phones(javascript=javascript))
    first.log_in()
    first.start()
    first.run({"danger_now": "yes"}, until="act")
    first.page.get_by_role("link", name="Stop the interview").click()
    first.look("stop")
    first.page.get_by_label("The person was too distressed to go on", exact=True).check()
    first.page.get_by_role("button", name="Stop the interview").click()
    expect(first.page.get_by_text("The interview is stopped. Everything said so far is saved.")).to_be_visible()
    assert first.outcome()[2] == "true"
    first.look("case-stopped")
    reference = first.reference
    first.phone.close()

    again = Officer(phones(javascript=javascript))
    again.log_in()
    again.page.get_by_role("link", name=reference).click()
    expect(again.page.get_by_text("stopped before the end")).to_be_visible()
    again.page.get_by_role("button", name="Go on with the interview").click()
    assert again.page_id() == "act"
    again.run(SCAM_COMPOUND)
    assert again.outcome() == ("presumed", "adult_combination", "true")


def test_an_urgent_answer_brings_up_the_safety_panel_at_once(officer):
    officer.start()
    page = officer.page
    expect(page.get_by_role("region", name=URGENT)).to_have_count(0)
    officer.run({"danger_now": "yes"}, until="health_now")
    panel = page.get_by_role("region", name=URGENT)
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("The person is in immediate danger")
    # On the pages after, folded to its reasons; what to do is one tap away.
    officer.run({"danger_now": "yes"}, until="about_you")
    folded = page.locator("details.urgent")
    expect(folded.locator("summary")).to_contain_text("The person is in immediate danger")
    action = folded.get_by_text("Move the person to a safe place", exact=False)
    expect(action).to_be_hidden()
    folded.locator("summary").click()
    expect(action).to_be_visible()
    page.get_by_role("link", name="Trafficking screening", exact=True).click()
    page.get_by_role("link", name=officer.reference).click()
    expect(page.get_by_role("heading", name="Interview not finished")).to_be_visible()
    expect(page.get_by_role("region", name=URGENT)).to_be_visible()
    officer.look("case-draft")


def test_an_answer_is_changed_from_check_your_answers(officer):
    officer.start()
    officer.run({"stage": "at_destination"}, until="check")
    page = officer.page
    officer.look("check")
    rows = page.get_by_role("term").filter(has_text="Where did you meet the person?")
    expect(rows).to_have_count(1)
    expect(page.get_by_text("Where they work or stay now", exact=True)).to_be_visible()
    officer.move_on(page.get_by_role("link", name="Change Where did you meet the person?"))
    expect(page.get_by_label("Where they work or stay now", exact=True)).to_be_checked()
    officer.look("q-stage-change")
    page.get_by_label("On the way: in transit, at a border or an airport", exact=True).check()
    officer.move_on(page.get_by_role("button", name="Save and continue"))
    assert officer.path().endswith("/check")
    expect(page.get_by_text("On the way: in transit, at a border or an airport", exact=True)).to_be_visible()
    expect(page.get_by_text("Where they work or stay now", exact=True)).to_have_count(0)
    officer.run()
    assert officer.outcome()[0] == "not_indicated"


def test_the_exit_control_leaves_at_once_for_a_neutral_page_and_ends_the_session(officer):
    officer.start()
    page = officer.page
    officer.run({}, until="act")
    page.get_by_role("link", name="Exit this page").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    assert page.title() == "Welcome"
    expect(page.get_by_text("Trafficking screening")).to_have_count(0)
    expect(page.get_by_text("Are you in danger right now?")).to_have_count(0)
    officer.look("exit")
    # Back, and Back again: the neutral page each time, and no case reference in the address bar.
    for _step in range(3):
        page.go_back()
        expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
        assert officer.reference not in page.url
        expect(page.get_by_text("Trafficking screening")).to_have_count(0)
    page.goto(f"/s/{officer.reference}")
    expect(page).to_have_url(re.compile(r"/welcome$"))


def test_the_interface_and_the_interview_each_speak_their_own_language(phones, javascript):
    officer = Officer(phones(javascript=javascript), username="linguist")
    officer.log_in()
    page = officer.page
    officer.start(language="ไทย")
    question = page.get_by_role("group", name=re.compile(r"^[\u0E00-\u0E7F ]+ Are you in danger right now\?$"))
    expect(question).to_have_count(1)
    officer.run({}, until="act")
    expect(page.get_by_role("heading", level=1)).to_have_accessible_name(re.compile(r"^[\u0E00-\u0E7F ]+ Did someone"))
    officer.look("q-act-th-en")
    officer.run()
    assert officer.outcome()[0] == "not_indicated"
    language = page.get_by_role("definition").filter(has_text="ไทย")
    expect(language).to_have_count(1)


def test_a_completed_case_is_referred_and_the_referral_downloads_as_a_pdf(officer, tmp_path):
    officer.start()
    officer.run(SCAM_COMPOUND)
    page = officer.page
    page.get_by_role("link", name="Refer to an organisation").click()
    officer.look("refer")
    page.get_by_role("radio", name=re.compile(r"^Test: Anti-trafficking unit")).check()
    consent = page.get_by_role("group", name="Does the person agree to be referred to this organisation?")
    consent.get_by_label("Yes", exact=True).check()
    page.get_by_label("The screening answers and result", exact=True).check()
    page.get_by_role("button", name="Record the referral").click()
    expect(page.get_by_text("The referral to Test: Anti-trafficking unit is recorded.")).to_be_visible()
    officer.look("result-referred")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Referral (PDF, English)").click()
    download = download_info.value
    assert download.suggested_filename.startswith(officer.reference)
    assert download.suggested_filename.endswith(".pdf")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    page.reload()
    expect(page.get_by_role("heading", name="Documents printed")).to_be_visible()


def test_a_case_is_found_on_the_desk_by_its_reference(officer):
    officer.start()
    officer.run({"coercion": ["confinement"]})
    reference = officer.reference
    officer.start(consent="No, they do not agree")
    page = officer.page
    page.get_by_role("link", name="Find cases", exact=True).click()
    officer.look("desk")
    page.get_by_label("Case reference").fill(reference.lower().replace("-", ""))
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status").filter(has_text="case found")).to_have_text("1 case found")
    officer.look("desk-found")
    page.get_by_role("link", name=reference).click()
    assert officer.outcome()[:2] == ("possible", "P3")


def test_a_case_is_found_on_the_case_list_and_opened(officer):
    officer.start(consent="No, they do not agree")
    reference = officer.reference
    officer.start()
    officer.run({}, until="stage")
    page = officer.page
    page.get_by_role("link", name="Trafficking screening", exact=True).click()
    officer.look("cases-list")
    expect(page.get_by_role("link", name=officer.reference)).to_be_visible()
    page.get_by_role("link", name=reference).click()
    expect(page).to_have_url(re.compile(rf"/s/{reference}$"))
    expect(page.get_by_role("heading", name="The person did not agree to the screening")).to_be_visible()
