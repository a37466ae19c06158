"""Browser tests: the production server on loopback, Debian's Chromium at phone size, and the accounts they use.

The browser is never downloaded: Playwright drives /usr/bin/chromium. Without it
the browser tests skip with a loud message, except under CI (CI=true), where a
missing browser fails the run. Without axe-core (`make node_modules`) the
accessibility part is skipped the same way.
"""

import os

import pytest

from screening.i18n.languages import ALL_LOCALES, INTERVIEW_ONLY
from tests.browser.phone import AXE_SCRIPT, CHROMIUM, Phone, clear_screenshots, launch
from tests.browser.server import ProductionServer, seed

IN_CI = os.environ.get("CI", "").lower() == "true"
# Journeys use "officer" (always in English); the language journey has its own account, because
# choosing a language is remembered on the account; the locale sweep has one account per locale.
ACCOUNTS = {
    "officer": "officer",
    "linguist": "officer",
    "speaker": "voice",
    "reviewer": "voice",
    **{f"sweep.{code}": "officer" for code in (*ALL_LOCALES, *INTERVIEW_ONLY)},
    **{f"admin.{code}": "admin" for code in ALL_LOCALES},
}

_warnings = []


def _missing(reason):
    """Skip loudly on a developer's machine; fail under CI, where the browser tests must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run here)", pytrace=False)
    if reason not in _warnings:
        _warnings.append(reason)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter):
    """Repeat why browser checks were skipped, where nobody can miss it."""
    for reason in _warnings:
        terminalreporter.write_sep("!", "BROWSER CHECKS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(reason, red=True, bold=True)


@pytest.fixture(scope="session")
def browser():
    """Return Debian's Chromium, launched headless by Playwright."""
    if not CHROMIUM.exists():
        _missing(
            f"Chromium is not installed at {CHROMIUM}: the browser tests did not run. "
            "Install it with:  sudo apt-get install -y chromium"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed in .venv: run `make setup`")
    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_enabled():
    """Return whether axe-core is installed; say so loudly when it is not (fail under CI)."""
    if AXE_SCRIPT.exists():
        return True
    reason = (
        f"axe-core is not installed ({AXE_SCRIPT} is missing): pages were not checked for accessibility. "
        "Run `make node_modules` (it needs npm:  sudo apt-get install -y npm)"
    )
    if IN_CI:
        pytest.fail(reason, pytrace=False)
    if reason not in _warnings:
        _warnings.append(reason)
    return False


@pytest.fixture(scope="session")
def server(browser, tmp_path_factory):
    """Serve the app with its production server on a free loopback port, on a fresh database."""
    data_dir = tmp_path_factory.mktemp("browser-data")
    seed(data_dir, ACCOUNTS)
    clear_screenshots()
    running = ProductionServer(data_dir).start()
    yield running
    running.stop()
    log = running.log()
    if "Traceback" in log:
        pytest.fail(f"the server logged an error during the browser tests:\n{log}", pytrace=False)


@pytest.fixture(scope="session")
def empty_server(browser, tmp_path_factory):
    """Serve the app on a database with no account yet: the first-start page with its one-time link."""
    data_dir = tmp_path_factory.mktemp("browser-empty")
    running = ProductionServer(data_dir).start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def axe_seen():
    """Remember which pages axe has checked in this run, in which languages."""
    return set()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so that fixtures know whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def phones(request, browser, server, axe_enabled, axe_seen):
    """Return a function that opens a phone (a fresh browser context); every problem seen fails the test."""
    opened = []

    def open_phone(javascript=True, screenshots=None, label="", base_url=None):
        phone = Phone(
            browser,
            base_url or server.url,
            javascript=javascript,
            axe=axe_enabled,
            screenshots=screenshots,
            seen=axe_seen,
            label=label,
        )
        opened.append(phone)
        return phone

    yield open_phone
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        for number, phone in enumerate(opened):
            phone.keep_evidence(f"{request.node.name}-{number}")
        if server.process.poll() is not None:
            print(f"\n--- the server has stopped (status {server.process.returncode}); its log:\n{server.log()}")
    for phone in opened:
        phone.close()
    problems = [problem for phone in opened for problem in phone.finish()]
    if problems:
        pytest.fail("\n".join(["problems on the pages:", *problems]), pytrace=False)
