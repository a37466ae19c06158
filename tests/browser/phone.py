"""A phone in a browser: a Playwright context at phone size, and the checks made on every page it shows.

Every page looked at is checked for what an officer on a cheap phone would
suffer from: sideways scrolling at 360 and 320 px, a web font that did not load
(or one downloaded for a script the page does not show), console errors,
requests to anything but the app itself, and WCAG 2.1 A/AA violations found by
axe-core. Problems are collected, not raised at once, so that one run lists
every broken page; the ``phones`` fixture fails the test with all of them.
"""

import functools
import os
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("SCREENING_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "build" / "screenshots"
# The sweep's screenshots (a quarter of its time) are for people to look at: kept when asked for.
KEEP_SCREENSHOTS = os.environ.get("SCREENING_SCREENSHOTS", "") == "1"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHECKS = Path(__file__).with_name("page_checks.js").read_text()

PHONE_WIDTH, PHONE_HEIGHT = 360, 740
NARROW_WIDTH = 320
# Every page answers in well under a second on loopback: ten seconds means something is wrong.
ACTION_TIMEOUT_MS = 10_000
# The WCAG 2.1 A and AA rules, and nothing else (best practices are advice, not the bar).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The web font a locale's own text needs (screening/i18n/fonts.py builds one family per script).
LOCALE_FACES = {
    "th": "Screening Thai",
    "lo": "Screening Lao",
    "km": "Screening Khmer",
    "my": "Screening Myanmar",
    "vi": "Screening Vietnamese",
    "hi": "Screening Devanagari",
    "ne": "Screening Devanagari",
    "bn": "Screening Bengali",
    "si": "Screening Sinhala",
    "am": "Screening Ethiopic",
    "ur": "Screening Nastaliq",
}
# Chromium's own console message for a page that answers an error status, expected on the error pages.
STATUS_MESSAGE = "Failed to load resource: the server responded with a status of {status}"

CONTEXT_OPTIONS = {
    "viewport": {"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
    "screen": {"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 2,
    "locale": "en-US",
    "accept_downloads": True,
}


def font_face_of(url):
    """Return the face a font file holds, as page_checks.js names faces: thai-700.woff2 -> "Screening Thai 700"."""
    script, weight = url.rsplit("/", 1)[-1].removesuffix(".woff2").split("-")
    return f"Screening {script.capitalize()} {weight}"


@functools.cache
def axe_source():
    """Return the text of axe-core's script, read once per run."""
    return AXE_SCRIPT.read_text()


def launch(playwright):
    """Return Debian's Chromium, headless, launched by ``playwright`` (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


def clear_screenshots():
    """Empty the screenshot folder, so that it shows this run only."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # two workers may both clear it


class Phone:
    """One browser context at phone size, with one page, watched and checked as it goes."""

    def __init__(
        self, browser, base_url, *, javascript=True, axe=True, axe_pages=None, screenshots=None, seen=None, label=""
    ):
        self.base_url = base_url
        self.javascript = javascript
        self.axe = axe and javascript
        # The names of the pages axe checks (None: every page).
        self.axe_pages = axe_pages
        self.screenshots = screenshots if KEEP_SCREENSHOTS else None
        # (language, page) pairs already checked with axe in this run: a page in a state
        # already checked is not checked again, to keep the run short.
        self.seen = seen if seen is not None else set()
        self.label = label
        self.problems = []
        self.console = []
        self.foreign = []
        self.allowed_console = []
        self.closed = False
        self.font_requests = []
        self.context = browser.new_context(base_url=base_url, java_script_enabled=javascript, **CONTEXT_OPTIONS)
        self.context.on("request", self._request)
        self.context.on("requestfinished", self._finished)
        self.context.set_default_timeout(ACTION_TIMEOUT_MS)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("framenavigated", self._navigated)
        self.page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.base_url + "/") or url.startswith("data:")):
            self.foreign.append(url)

    def _finished(self, request):
        # A font the browser had already is "requested" again from its cache on every page,
        # with no body transferred: only a real download counts.
        if request.url.endswith(".woff2") and request.sizes()["responseBodySize"] > 0:
            self.font_requests.append(request.url)

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.font_requests.clear()

    def _console(self, message):
        if message.type == "error":
            self.console.append(message.text)

    def close(self):
        """Close the context, as a person closing the browser would (again: nothing happens)."""
        if not self.closed:
            self._check_messages(f"{self.label}before closing")
            self.context.close()
            self.closed = True

    # --- checks -------------------------------------------------------------------

    def look(self, name, *, locale=None, expect_status=None):
        """Check the page shown now, and keep a screenshot when screenshots are on."""
        page = self.page
        page.wait_for_load_state("load")
        where = f"{self.label}{name} ({page.url.removeprefix(self.base_url)})"
        if expect_status:
            self.allowed_console.append(re.compile(re.escape(STATUS_MESSAGE.format(status=expect_status))))
        if not self.javascript:
            # The app sends the same page either way (it has no script): its width, fonts and
            # accessibility are checked with JavaScript on; here, that it works and stays quiet.
            self._check_messages(where)
            return None
        facts = page.evaluate(CHECKS, PHONE_WIDTH)
        page_lang = facts["lang"]
        self._check_fonts(where, facts, locale or page_lang)
        self._check_width(where, facts, PHONE_WIDTH)
        page.set_viewport_size({"width": NARROW_WIDTH, "height": PHONE_HEIGHT})
        try:
            self._check_width(where, page.evaluate(CHECKS, NARROW_WIDTH), NARROW_WIDTH)
        finally:
            page.set_viewport_size({"width": PHONE_WIDTH, "height": PHONE_HEIGHT})
        if self.axe and (self.axe_pages is None or name in self.axe_pages):
            key = (page_lang, facts["person"], name)
            if key not in self.seen:
                self.seen.add(key)
                self._check_axe(where)
        self._check_messages(where)
        if self.screenshots:
            folder = SCREENSHOTS / self.screenshots
            folder.mkdir(parents=True, exist_ok=True)
            # At CSS scale: a quarter of the pixels of the phone's screen, four times quicker to write.
            page.screenshot(path=folder / f"{name}.png", full_page=True, scale="css")
        return facts

    def _check_fonts(self, where, facts, locale):
        for face in facts["faces"]:
            if face["status"] in ("loading", "error"):
                self.problems.append(f"{where}: web font {face['family']} {face['weight']} is {face['status']}")
        loaded = {f"{f['family']} {f['weight']}" for f in facts["faces"] if f["status"] == "loaded"}
        used = set(facts["used"])
        for face in sorted(used - loaded):
            self.problems.append(f"{where}: the page shows text in {face} but that font did not load")
        # A font file fetched for this page (not one the browser had in its cache already)
        # that none of its text needs: the page weighs more for nothing.
        for url in self.font_requests:
            face = font_face_of(url)
            if face not in used:
                self.problems.append(f"{where}: downloaded {url.rsplit('/', 1)[-1]} but no text of the page uses it")
        self.font_requests.clear()
        for text in facts["inLanguageMenus"]:
            self.problems.append(f"{where}: the language list should use the phone's fonts, not {text}")
        wanted = LOCALE_FACES.get(locale.replace("-", "_"))
        if wanted and not any(face.startswith(wanted) for face in loaded):
            self.problems.append(f"{where}: a page in {locale} did not load {wanted}")

    def _check_width(self, where, facts, width):
        if facts["brokenWords"]:
            self.problems.append(
                f"{where}: at {width} px words break inside themselves although they fit on a line: "
                + ", ".join(facts["brokenWords"])
            )
        if facts["offLeft"]:
            self.problems.append(f"{where}: at {width} px cut off on the left: {', '.join(facts['offLeft'])}")
        if facts["scrollWidth"] > width:
            self.problems.append(
                f"{where}: scrolls sideways at {width} px (content {facts['scrollWidth']} px wide); "
                f"too wide: {', '.join(facts['tooWide']) or 'unknown'}"
            )

    def _check_axe(self, where):
        page = self.page
        if not page.evaluate("() => typeof window.axe === 'object'"):
            # Evaluated through the DevTools protocol, so the app's CSP (script-src 'self')
            # does not apply and the pages are checked with their real headers: no bypass_csp.
            page.evaluate(axe_source())
        violations = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
                .then(result => result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + (n.failureSummary || "")
                        .replace(/\\s+/g, " ").slice(0, 200)),
                })))""",
            AXE_TAGS,
        )
        for violation in violations:
            nodes = "; ".join(violation["nodes"])
            self.problems.append(
                f"{where}: axe {violation['id']} ({violation['impact']}): {violation['help']} — {nodes}"
            )

    def _check_messages(self, where):
        for text in self.console:
            if not any(pattern.search(text) for pattern in self.allowed_console):
                self.problems.append(f"{where}: console error: {text}")
        for url in self.foreign:
            self.problems.append(f"{where}: request to another site: {url}")
        self.console.clear()
        self.foreign.clear()
        self.allowed_console.clear()

    def keep_evidence(self, name):
        """Save a screenshot and the text of the page shown, after a failure, and print where they are."""
        if self.closed:
            return
        folder = SCREENSHOTS / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        shot = folder / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        try:
            self.page.screenshot(path=shot, full_page=True)
            text = self.page.locator("body").inner_text(timeout=2000)[:1500]
        except Exception as exc:  # the page may have crashed or gone: say so and carry on
            text = f"(no evidence: {exc})"
        print(f"\n--- {self.label}{name}: the page at the failure: {self.page.url}\n{text}\n--- screenshot: {shot}")

    def finish(self):
        """Close the phone and return every problem seen, page by page."""
        self.close()
        return self.problems
