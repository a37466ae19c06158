"""Every page in every language: each is checked by Phone.look and kept as a screenshot.

For each locale an officer logs in, meets every page of the interview in that
language (with its error states, the urgent panel, the officer's observations,
the result and a referral), a child's interview in another language (both
languages on one page), the stopped, refused and draft cases, the account pages,
the not-found, session-ended and exit pages; an administrator meets the
directory and account pages; and the first-start page is seen on an empty
database. With SCREENING_SCREENSHOTS=1, screenshots go to
build/screenshots/<locale>/<page>.png.

axe checks every page in English, Thai, Khmer, Burmese and Chinese (the scripts,
and the longest and the shortest texts); in the other six languages, whose pages
have the same structure in the same script as one of those, it checks the pages
where structure meets words: every form with its errors, the interview's first
page and a two-language page, the check and the result.

This sweep is about what pages look like, not how they are found: fields are
filled by id, since their labels are in a different language each time. The
locales are swept side by side, each thread with its own Playwright and
Chromium (Playwright's sync API is one instance per thread), then each locale's
problems are reported by its own test.
"""

import os
import queue
import re
import threading
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from screening.i18n.languages import ALL_LOCALES, INTERVIEW_ONLY
from screening.instrument import questionnaire
from tests.browser.phone import Phone, launch
from tests.browser.server import PASSWORD
from tests.conftest import SCAM_COMPOUND

AXE_EVERY_PAGE = {"en", "th", "km", "my", "zh_Hans"}
AXE_SAMPLE = {
    "login-error",
    "new-error",
    "consent",
    "q-error",
    "bilingual-q-safety",
    "check",
    "result",
    "refer-error",
    "stop-error",
    "person",
    "directory-form-error",
    "account-new",
    "setup",
}
# Two browsers at once keep both cores of the CI machine busy without starving the server.
SWEEPERS = max(1, min(int(os.environ.get("SCREENING_SWEEPERS", "2")), len(ALL_LOCALES)))
# The languages of the interview only: the person's pages, with the officer's in English.
# SCREENING_SWEEP=ko,ur sweeps only those, for a quicker loop while mending them.
SWEPT = tuple(
    code for code in (*ALL_LOCALES, *INTERVIEW_ONLY) if code in (os.environ.get("SCREENING_SWEEP") or code).split(",")
)
PERSON_AXE_SAMPLE = {"language-picker", "consent", "q-safety", "q-forms", "result"}

# An adult met after leaving a scam compound, in danger now, about whom the officer is
# concerned: every adult page shows, with the urgent panel from the first answer on.
SWEEP_ANSWERS = {
    "danger_now": "yes",
    "controller_nearby": "no",
    "medical_now": "no",
    "self_harm": "no",
    **SCAM_COMPOUND,
    "possibly_minor": "no",
    "sex": "female",
    "nationality": "KHM",
    "documents": "no",
    "safe_place": "no",
    "distress": "yes",
    "officer_concern": "yes",
    "officer_concern_reason": "Her phone holds messages from a recruiter.",
}
CHILD_ANSWERS = {"danger_now": "no", "controller_nearby": "no", "medical_now": "no", "self_harm": "no"}
DEFAULTS = {"yesno": "no", "single": None, "multi": ["none"]}
PAGES = {}
for _question in questionnaire.QUESTIONS:
    PAGES.setdefault(_question.page_id, []).append(_question)
REFERENCE = re.compile(r"/s/([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")
SETUP_LINK = re.compile(r"/setup/[A-Za-z0-9_-]+")
MAX_PAGES = 60


def evaluate(page, script):
    """Evaluate ``script`` in the page, again after a page load that cut it short."""
    for _attempt in range(20):
        try:
            return page.evaluate(script)
        except PlaywrightError:
            page.wait_for_load_state()
    raise AssertionError("the page kept loading")


def where(page):
    """Return the path of the page shown: during the interview the page's script says it (``data-step``)."""
    return (evaluate(page, "() => document.body.dataset.step || ''") or urlsplit(page.url).path).split("?")[0]


def submit(page):
    """Send the page's main form with its one primary button, and wait for what comes back."""
    page.locator("main form button[type=submit]").first.click()
    settle(page)


def settle(page):
    """Wait until the page sent has come back, in place (the page's script) or as a page load."""
    settled = "() => document.readyState === 'complete' && !document.body.dataset.busy"
    for _poll in range(300):
        if evaluate(page, settled):
            page.wait_for_load_state()
            return
        page.wait_for_timeout(50)
    raise AssertionError("the page sent did not come back")


def answer(page, question, value):
    """Fill one question by its ids: a choice ``#<question>-<value>``, typed text ``#<question>-input``.

    Returns True when the answer was one of the page's answer buttons, which sends the page.
    """
    if question.kind in ("number", "text") and value not in question.values:
        page.locator(f"#{question.id}-input").fill(str(value))
        return False
    if question.appearance == "list":
        page.locator(f"#{question.id}-input").select_option(value)
        return False
    for one in value if isinstance(value, list) else [value]:
        choice = page.locator(f"#{question.id}-{one}")
        if evaluate(page, f"() => document.getElementById('{question.id}-{one}').tagName") == "BUTTON":
            choice.click()
            settle(page)
            return True
        choice.check()
    return False


def page_id(page):
    """Return the id of the question page shown, or None."""
    path = where(page)
    return path.split("/q/")[1] if "/q/" in path else None


def start(phone, interview_lang, consent="yes"):
    """Open a screening in ``interview_lang`` and answer the consent; return its reference."""
    page = phone.page
    page.goto("/new")
    page.locator("#private-yes").check()
    page.locator("#interpreter-none").check()
    page.locator("#interview_lang").select_option(interview_lang)
    page.locator("#post").fill("Sweep post")
    submit(page)
    reference = REFERENCE.search(where(page)).group(1)
    page.locator(f"#consent-{consent}").click()
    settle(page)
    return reference


def interview(phone, answers, look_prefix="q-", until=None):
    """Answer page after page, looking at each, up to the result (or the page ``until``)."""
    page = phone.page
    for _step in range(MAX_PAGES):
        current = page_id(page)
        if until and current == until:
            return
        if where(page).endswith("/check"):
            phone.look("check")
            page.locator("main a.button.primary").click()
            settle(page)
            continue
        if current is None:
            return
        phone.look(f"{look_prefix}{current}")
        sent = False
        for question in PAGES[current]:
            if not page.locator(f"#{question.id}").is_visible():
                continue  # appears only when another answer on the page calls for it
            value = answers.get(question.id) or DEFAULTS.get(question.kind) or question.values[0]
            sent = answer(page, question, value) or sent
        if not sent:
            page.locator("main form button.primary").click()
            settle(page)
    raise AssertionError("the interview did not end")


def log_in(phone, username, code):
    """Log in from the login page and choose the interface language for the session and the account."""
    page = phone.page
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    submit(page)
    page.goto(f"/?lang={code}")


class Sweep:
    """One locale's sweep: the phones it opens and everything they saw wrong."""

    def __init__(self, code, browser, server, empty_server, axe):
        self.code, self.browser, self.axe = code, browser, axe
        self.server, self.empty_server = server, empty_server
        self.phones = []
        self.seen = set()

    def phone(self, base_url=None):
        """Open a fresh phone whose screenshots go to this locale's folder."""
        opened = Phone(
            self.browser,
            base_url or self.server.url,
            axe=self.axe,
            axe_pages=None
            if self.code in AXE_EVERY_PAGE
            else PERSON_AXE_SAMPLE
            if self.code in INTERVIEW_ONLY
            else AXE_SAMPLE,
            screenshots=self.code,
            seen=self.seen,
            label=f"[{self.code}] ",
        )
        self.phones.append(opened)
        return opened

    def run(self):
        """Visit every page; return the problems, with the page reached if a step failed."""
        problems = []
        try:
            if self.code in INTERVIEW_ONLY:
                self.person_pages()
            else:
                self.officer_pages()
                self.admin_pages()
                self.first_start_page()
        except Exception as exc:  # reported as this locale's failure, with evidence
            problems.append(f"[{self.code}] the sweep stopped: {type(exc).__name__}: {exc}")
            for number, phone in enumerate(self.phones):
                phone.keep_evidence(f"sweep-{self.code}-{number}")
        for phone in self.phones:
            problems.extend(phone.finish())
        return problems

    def officer_pages(self):
        """The officer's pages, from logging in to the exit, in this locale."""
        code = self.code
        other = "th" if code == "en" else "en"
        phone = self.phone()
        page, look = phone.page, phone.look

        page.goto(f"/login?lang={code}")
        look("login")
        submit(page)
        look("login-error")
        log_in(phone, f"sweep.{code}", code)
        look("cases-empty")
        page.goto("/new")
        look("new")
        submit(page)
        look("new-error")

        reference = start(phone, code)
        page.goto(f"/s/{reference}/consent")
        look("consent")
        page.goto(f"/s/{reference}/q/safety")
        submit(page)
        look("q-error")
        interview(phone, SWEEP_ANSWERS)
        look("result")
        page.goto(f"/s/{reference}/refer")
        look("refer")
        submit(page)
        look("refer-error")
        page.locator("input[name=organisation]").first.check()
        page.locator("#consent-yes").check()
        page.locator("#items-answers").check()
        submit(page)
        look("result-referred")
        page.goto(f"/s/{reference}/person")
        look("person")
        # The password was given at login, moments ago: the erase page shows without asking again.
        for path, name in (
            ("/account", "account"),
            ("/account/password", "password"),
            ("/reauth", "reauth"),
            (f"/s/{reference}/erase", "erase"),
            ("/desk", "desk"),
            (f"/desk?reference={reference}", "desk-found"),
            ("/statistics", "statistics"),
        ):
            page.goto(path)
            look(name)

        # A child's interview in another language: both languages on each page.
        child = start(phone, other)
        child_answers = {**CHILD_ANSWERS, "stage": "at_destination", "age": "16", "accompanied": "no"}
        interview(phone, child_answers, "bilingual-q-", until="about_you")
        page.goto(f"/s/{child}")
        look("case-draft")
        page.goto(f"/s/{child}/stop")
        look("stop")
        submit(page)
        look("stop-error")
        page.locator("#reason-distress").check()
        submit(page)
        look("case-stopped")
        start(phone, code, consent="no")
        look("case-refused")
        page.goto("/")
        look("cases")
        page.goto("/s/AAAA-AAAA-AAAA")
        look("not-found", expect_status=404)

        start(phone, code)
        page.locator("a.exit").click()
        look("exit")
        # A form sent after the session has gone: the "session ended" page.
        page.goto("/login?staff=1")
        page.context.clear_cookies()
        page.locator("#username").fill(f"sweep.{code}")
        page.locator("#password").fill(PASSWORD)
        submit(page)
        look("expired", expect_status=400)

    def person_pages(self):
        """An interview in a language of the interview only, which the person picks; the officer reads English."""
        code = self.code
        phone = self.phone()
        page, look = phone.page, phone.look
        page.goto("/login?lang=en")
        log_in(phone, f"sweep.{code}", "en")
        page.goto("/new")
        page.locator("#private-yes").check()
        page.locator("#interpreter-none").check()
        page.locator("#post").fill("Sweep post")
        page.locator("button[name=choose]").click()
        settle(page)
        look("language-picker")
        page.locator(f"button[name=interview_lang][value={code}]").click()
        settle(page)
        assert page.locator("#interview_lang").input_value() == code
        assert page.locator("#post").input_value() == "Sweep post"
        submit(page)
        look("consent")
        page.locator("#consent-yes").click()
        settle(page)
        interview(phone, SWEEP_ANSWERS)
        look("result")

    def admin_pages(self):
        """The administrator's directory and account pages, in this locale."""
        code = self.code
        phone = self.phone()
        page, look = phone.page, phone.look
        page.goto(f"/login?lang={code}")
        log_in(phone, f"admin.{code}", code)
        for path, name in (
            ("/directory/", "directory"),
            ("/directory/new", "directory-form"),
            ("/directory/import", "directory-import"),
            ("/admin/accounts", "accounts"),
            ("/admin/audit", "audit"),
            ("/statistics", "statistics-admin"),
            # Last: the account form is filled in next.
            ("/admin/accounts/new", "account-new"),
        ):
            page.goto(path)
            look(name)
        page.locator("#username").fill(f"made.{code}")
        page.locator("#role-officer").check()
        submit(page)
        look("account-password")
        page.goto("/admin/accounts")
        page.get_by_role("link", name=f"made.{code}").click()
        look("account-edit")
        page.goto(page.url.split("?")[0] + "/reset")
        look("account-reset")
        page.goto("/directory/new")
        submit(page)
        look("directory-form-error")

    def first_start_page(self):
        """The page that creates the first administrator, on a database with no account."""
        phone = self.phone(base_url=self.empty_server.url)
        link = SETUP_LINK.search(self.empty_server.log()).group(0)
        phone.page.goto(f"{link}?lang={self.code}")
        phone.look("setup")


@pytest.fixture(scope="module")
def sweep_problems(browser, server, empty_server, axe_enabled):
    """Sweep every locale, SWEEPERS at a time; return each locale's problems."""
    waiting = queue.Queue()
    for code in SWEPT:
        waiting.put(code)
    results = {}

    def sweeper():
        with sync_playwright() as playwright:
            own_browser = launch(playwright)
            try:
                while True:
                    try:
                        code = waiting.get_nowait()
                    except queue.Empty:
                        return
                    results[code] = Sweep(code, own_browser, server, empty_server, axe_enabled).run()
            finally:
                own_browser.close()

    threads = [threading.Thread(target=sweeper, name=f"sweeper-{n}") for n in range(SWEEPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("code", SWEPT)
def test_every_page_in_every_language(sweep_problems, code):
    assert code in sweep_problems, f"the sweep of {code} did not run (see the errors above)"
    problems = sweep_problems[code]
    assert not problems, "\n".join([f"problems on the pages in {code}:", *problems])
