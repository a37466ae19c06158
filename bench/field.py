"""The interview as a border post lives it: page loads, taps, waits on a cheap phone and a slow network, page heights.

Run: .venv/bin/python bench/field.py [--languages en,km,my] [--runs 1]
It serves the app with its production server on loopback and a throwaway
database and drives Debian's Chromium at 360x740 (touch) from the login page to
the result of an adult interview (a man released from a scam compound), as an
officer would, counting:

- page loads: documents the browser loads (a full page; content fetched in the
  background by the page's own script is not one);
- taps: every click, tick, choice from a list and text typed into a box;
- waiting: the time from each tap that moves the interview on until the next
  page can be used, on an emulated cheap phone (Chrome DevTools Protocol:
  400 ms round trip, 400 kbit/s each way, the processor four times slower,
  nothing cached), summed over the interview, with the slowest step and p95;
- the tallest question page of an interview in each language, in screens of
  740 px at 360 px wide (the check page apart), without throttling: with the
  officer in the person's language (the goal) and in English (two languages on
  a page), for an adult and for a child.

Goals (issue 12): at most 16 page loads and 45 taps; under 10 s of waiting in
all; no page load over 1.2 s at p95; no question page taller than 1.5 screens.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from screening.i18n.languages import LANGUAGE_NAMES  # noqa: E402
from tests.browser.phone import CONTEXT_OPTIONS, launch  # noqa: E402
from tests.browser.server import PASSWORD, ProductionServer, seed  # noqa: E402
from tests.conftest import DEFAULT_ANSWERS, SCAM_COMPOUND  # noqa: E402

SLOW = {"latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8, "offline": False}
CPU_SLOWDOWN = 4
SCREEN = 740
GOALS = {"page loads": 16, "taps": 45, "waiting s": 10.0, "p95 step s": 1.2, "tallest page (screens)": 1.5}
# A typical adult: answers no or "none of these" where tests/conftest.py has no answer of its own.
PLAIN = {**DEFAULT_ANSWERS, "age": "30", "distress": "no", "officer_concern": "no"}
SCAM = {**PLAIN, **SCAM_COMPOUND}
CHILD = {**PLAIN, "age": "15"}
MAX_STEPS = 80


class Run:
    """One officer on one phone: drives the interview and counts what it costs."""

    def __init__(self, browser, base_url, language, slow, answers=PLAIN, interface="en"):
        self.context = browser.new_context(base_url=base_url, **CONTEXT_OPTIONS)
        self.page = self.context.new_page()
        self.language = language
        self.interface = interface
        self.answers = answers
        self.loads = 0
        self.taps = 0
        self.waits = []
        self.heights = {}
        self.page.on("load", lambda _page: self._loaded())
        if slow:
            session = self.context.new_cdp_session(self.page)
            session.send("Network.enable")
            session.send("Network.setCacheDisabled", {"cacheDisabled": True})
            session.send("Network.emulateNetworkConditions", SLOW)
            session.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})

    def _loaded(self):
        self.loads += 1

    def tap(self, action, *args, **kwargs):
        """Do one thing a finger does on the page, and count it."""
        self.taps += 1
        return action(*args, **kwargs)

    def move_on(self, locator):
        """Tap what moves the interview on, and time the wait until the next page can be used."""
        page = self.page
        before = page.evaluate("() => [location.href, document.body.dataset.step || '']")
        start = time.perf_counter()
        self.tap(locator.click)
        page.wait_for_function(
            "(before) => document.readyState === 'complete' && !document.body.dataset.busy && "
            "[location.href, document.body.dataset.step || ''].join(' ') !== before.join(' ')",
            arg=before,
            timeout=60_000,
        )
        self.waits.append(time.perf_counter() - start)

    def login(self):
        page = self.page
        start = time.perf_counter()
        page.goto(f"/login?lang={self.interface}")
        self.waits.append(time.perf_counter() - start)
        self.tap(page.locator("#username").fill, "officer")
        self.tap(page.locator("#password").fill, PASSWORD)
        self.move_on(page.locator("button[type=submit]"))

    def start(self):
        page = self.page
        self.move_on(page.locator("a.button.primary[href='/new']"))
        self.tap(page.locator("#private-yes").check)
        self.tap(page.locator("#interpreter-none").check)
        if page.locator("#interview_lang").input_value() != self.language:
            self.tap(page.locator("#interview_lang").select_option, self.language)
        if not page.locator("#post").input_value():
            self.tap(page.locator("#post").fill, "Bench post")
        self.move_on(page.locator("button.primary"))
        self.move_on(page.locator("#consent-yes"))

    def answer_page(self):
        """Answer every question shown, by its id and the stable values of its choices."""
        page = self.page
        for fieldset in page.locator("form fieldset[id]").all():
            if not fieldset.is_visible():
                continue
            qid = fieldset.get_attribute("id")
            value = self.answers.get(qid)
            if value is None:
                kind = "multi" if fieldset.locator("input[type=checkbox]").count() else "single"
                value = ["none"] if kind == "multi" else "no"
            select = fieldset.locator("select")
            if select.count():
                self.tap(select.select_option, value)
                continue
            if fieldset.locator(f"#{qid}-input").count() and value not in ("unknown", "declined"):
                self.tap(fieldset.locator(f"#{qid}-input").fill, str(value))
                continue
            for one in value if isinstance(value, list) else [value]:
                box = page.locator(f"#{qid}-{one}")
                if box.evaluate("element => element.tagName") == "BUTTON":
                    return box  # the answer is the page's button: one tap answers and moves on
                if not box.is_checked():
                    self.tap(box.check)
        return None

    def interview(self):
        page = self.page
        for _step in range(MAX_STEPS):
            if page.locator("[data-outcome]").count():
                return
            # With the page's script the address bar shows a neutral address; the page says where it is.
            path = page.evaluate("() => document.body.dataset.step || location.pathname").split("?")[0]
            if path.endswith("/check"):
                self.move_on(page.locator("main a.button.primary, main button.primary").first)
                continue
            self.heights[path.rsplit("/", 1)[-1]] = page.evaluate("() => document.documentElement.scrollHeight")
            button = self.answer_page()
            self.move_on(button or page.locator("form button.primary").last)
        raise AssertionError("the interview did not end")

    def close(self):
        self.context.close()


def percentile(values, share):
    """Return the value below which ``share`` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def interviews(browser, url, language, slow, answers, runs, interface="en"):
    """Drive ``runs`` whole interviews from the login page to the result; return the Runs."""
    done = []
    for _run in range(runs):
        run = Run(browser, url, language, slow=slow, answers=answers, interface=interface)
        run.login()
        run.start()
        run.interview()
        done.append(run)
        run.close()
    return done


def report(title, runs, tallest):
    """Print one path's figures against the goals."""
    waits = [wait for run in runs for wait in run.waits]
    interview = [sum(run.waits[5:]) for run in runs]  # after login, the case list, the start page and consent
    figures = {
        "page loads": statistics.median(run.loads for run in runs),
        "taps": statistics.median(run.taps for run in runs),
        "waiting s": statistics.median(sum(run.waits) for run in runs),
        "p95 step s": percentile(waits, 0.95),
        "tallest page (screens)": tallest,
    }
    print(title)
    for name, value in figures.items():
        verdict = "ok" if value <= GOALS[name] else "over the goal"
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        print(f"  {name:<24}{shown:>8}   goal {GOALS[name]:<6} {verdict}")
    print(f"  of which the interview   {statistics.median(interview):.2f} s (from the first question to the result)")
    print(f"  slowest step             {max(waits):.2f} s; steps {len(waits) // len(runs)}")
    in_place = [wait for run in runs for wait in run.waits[5:-1]]  # the interview's pages, shown in place
    print(
        f"  interview pages in place p50 {statistics.median(in_place):.2f} s, p95 {percentile(in_place, 0.95):.2f} s;"
        f" whole page loads (login, cases, start, consent, result) p50"
        f" {statistics.median([w for run in runs for w in (*run.waits[:5], run.waits[-1])]):.2f} s"
    )


def main():
    """Serve the app, drive the interviews, print the figures against the goals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default="en,km,my", help="Interview languages for the page heights.")
    parser.add_argument("--runs", type=int, default=1, help="Slow-phone interviews per path (English).")
    args = parser.parse_args()
    languages = [code for code in args.languages.split(",") if code in LANGUAGE_NAMES]
    data = Path(tempfile.mkdtemp(prefix="field-bench-"))
    seed(data, {"officer": "officer"})
    server = ProductionServer(data).start()
    front = server.url
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            plain = interviews(browser, front, "en", True, PLAIN, args.runs)
            scam = interviews(browser, front, "en", True, SCAM, args.runs)
            tallest = {}
            for code in languages:
                for officer in dict.fromkeys([code, "en"]):
                    for path, answers in (("adult", PLAIN), ("child", CHILD)):
                        run = interviews(browser, front, code, False, answers, 1, interface=officer)[0]
                        page, height = max(run.heights.items(), key=lambda item: item[1])
                        tallest[code, officer, path] = (height / SCREEN, page, len(run.heights))
            browser.close()
    finally:
        server.stop()
    # The goal is read on an adult's interview with the officer in the person's language; the
    # others are printed beside it (two languages on a page, and the child's path, are taller).
    highest = max(
        height for (code, officer, path), (height, _page, _n) in tallest.items() if code == officer and path == "adult"
    )
    profile = f"{SLOW['latency']} ms, 400 kbit/s, CPU x{CPU_SLOWDOWN}, no cache"
    report(f"a plain adult interview, slow phone ({profile}), {args.runs} run(s)", plain, highest)
    report("a man released from a scam compound, the same phone", scam, highest)
    print("tallest question page, in screens of 740 px at 360 px (person's language / officer's language, path):")
    for (code, officer, path), (screens, page, pages) in tallest.items():
        print(f"  {code:>3} / {officer:<3} {path:<6}{screens:>6.2f}  ({page}; {pages} question pages)")


if __name__ == "__main__":
    main()
