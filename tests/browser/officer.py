"""An officer at work in the browser: logging in, starting a screening, answering page after page.

Everything is found as a person finds it, by its label, its role or its text,
never by a CSS class. Answers are given by question id, as in tests/conftest.py,
and turned into the English text the officer reads on the page.
"""

import re
import time

from playwright.sync_api import Error as PlaywrightError

from screening.instrument import questionnaire
from tests.browser.server import PASSWORD
from tests.conftest import DEFAULT_ANSWERS, DEFAULT_BY_KIND

PAGES = {}
for _question in questionnaire.QUESTIONS:
    PAGES.setdefault(_question.page_id, []).append(_question)
MAX_PAGES = 60
REFERENCE = re.compile(r"/s/([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")


def ends_with(text):
    """Return a pattern for an accessible name that is ``text``, or ends with it after the person's language."""
    return re.compile(rf"(^|\s){re.escape(text)}$")


class Officer:
    """Drive the app through one phone, in English unless told otherwise."""

    def __init__(self, phone, username="officer"):
        self.phone = phone
        self.page = phone.page
        self.username = username
        self.reference = None
        self.bilingual = False
        self.visited = []

    def look(self, name, **kwargs):
        """Check the page shown now (see Phone.look)."""
        return self.phone.look(name, **kwargs)

    def path(self):
        """Return the path of the page shown now, without the server's address or query.

        With the page's script, the address bar shows a neutral address during the interview and
        the page says where it is (``data-step``).
        """
        step = self.evaluate("() => document.body.dataset.step || ''") if self.phone.javascript else ""
        where = step or self.page.url.removeprefix(self.phone.base_url)
        return where.removeprefix(self.phone.base_url).split("?")[0].split("#")[0]

    def evaluate(self, script, arg=None):
        """Evaluate ``script`` in the page, again after a page load that cut it short."""
        for _attempt in range(20):
            try:
                return self.page.evaluate(script, arg)
            except PlaywrightError:
                self.page.wait_for_load_state()
        raise AssertionError("the page kept loading")

    def log_in(self, username=None, password=PASSWORD):
        """Log in from the login page and land on the case list."""
        page = self.page
        if "/login" not in page.url:
            page.goto("/login")
        self.look("login")
        page.get_by_label("Username").fill(username or self.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()

    def start(self, language="English", consent="Yes, they agree", post="Test post: Poipet checkpoint"):
        """Open a new screening from the menu, confirm privacy and language, and read the consent script."""
        page = self.page
        page.get_by_role("link", name="New screening", exact=True).click()
        self.look("new")
        page.get_by_label("No employer, agent, or 'friend' of the person can hear us").check()
        page.get_by_label("No interpreter", exact=True).check()
        page.get_by_label("The person's language").select_option(label=language)
        page.get_by_label("Post or location").fill(post)
        page.get_by_role("button", name="Continue").click()
        self.reference = REFERENCE.search(self.path()).group(1)
        self.bilingual = language != "English"
        self.look("consent")
        self.move_on(page.get_by_role("button", name=consent, exact=True))

    def choice(self, scope, text):
        """Return the radio button or tick box whose label reads ``text`` (after the person's language, if any)."""
        if not self.bilingual:
            return scope.get_by_label(text, exact=True)
        name = ends_with(text)
        return scope.get_by_role("radio", name=name).or_(scope.get_by_role("checkbox", name=name))

    def question(self, question):
        """Return the group of one question on the page: its fieldset, named by its legend."""
        return self.page.get_by_role("group", name=ends_with(str(question.text)))

    def answer(self, question, value):
        """Give one answer the way the officer would: tick, choose, type, or tap an answer's button.

        Returns the button to tap when the answer is one (it answers and moves on at once), else None.
        """
        group = self.question(question)
        if question.kind in ("number", "text") and value not in question.values:
            group.get_by_role("textbox").fill(str(value))
            return None
        if question.appearance == "list":
            group.get_by_role("combobox").select_option(value)
            return None
        texts = {c.value: str(c.text) for c in question.choices}
        for one in value if isinstance(value, list) else [value]:
            name = texts[one] if not self.bilingual else ends_with(texts[one])
            button = self.page.get_by_role("button", name=name, exact=not self.bilingual)
            if button.count():
                return button
            self.choice(group, texts[one]).check()
        return None

    def page_id(self):
        """Return the id of the question page shown now, or None."""
        path = self.path()
        return path.split("/q/")[1] if "/q/" in path else None

    def run(self, answers=None, until=None, look=True):
        """Answer page after page (``answers`` by question id, else a plain default) up to the result.

        Stops before the page ``until`` (a page id, a question on it, or "check") and returns it; else None.
        """
        until = questionnaire.BY_ID[until].page_id if until in questionnaire.BY_ID else until
        for _step in range(MAX_PAGES):
            at_check = self.path().endswith("/check")
            if until and (self.page_id() == until or (until == "check" and at_check)):
                return until
            if not self.step(answers, look):
                return None
        raise AssertionError("the interview did not end")

    def step(self, answers=None, look=True):
        """Deal with the page shown: answer a question page, leave the check page; False at the result."""
        answers = answers or {}
        page = self.page
        page_id = self.page_id()
        if self.path().endswith("/check"):
            if look:
                self.look("check")
            self.move_on(page.get_by_role("link", name="Continue to your observations"))
            return True
        if page_id is None:
            if look:
                self.look("result")
            return False
        self.visited.append(page_id)
        if look:
            self.look(f"q-{page_id}")
        button = None
        for question in PAGES[page_id]:
            if not self.question(question).count():
                continue  # not asked: its condition does not hold, or it appears only when another answer calls for it
            value = answers.get(question.id, DEFAULT_ANSWERS.get(question.id, DEFAULT_BY_KIND.get(question.kind)))
            button = self.answer(question, value) or button
        onward = page.get_by_role("button", name=re.compile("^(Save and continue|Finish the screening)$"))
        self.move_on(button or onward)
        return True

    def move_on(self, target):
        """Tap what moves the interview on and wait until the next page is shown (a load, or in place)."""
        page = self.page
        before = self.path()
        target.click()
        settled = (
            "(before) => document.readyState === 'complete' && !document.body.dataset.busy"
            " && ((document.body.dataset.step || location.pathname).split('?')[0] !== before"
            " || !!document.querySelector('[role=alert]'))"
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.evaluate(settled, before):
                page.wait_for_load_state()
                return
            page.wait_for_timeout(50)
        raise AssertionError(f"the page after {before} did not come")

    def error_summary(self):
        """Return the text of the error summary shown, if any, for assertion messages."""
        summary = self.page.get_by_role("alert")
        return summary.all_inner_texts() if summary.count() else "no error summary"

    def outcome(self):
        """Return (outcome, rule, urgent) from the result's data attributes."""
        result = self.page.locator("[data-outcome]")
        return (
            result.get_attribute("data-outcome"),
            result.get_attribute("data-rule"),
            result.get_attribute("data-urgent"),
        )
