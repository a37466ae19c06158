"""A real client, not ours: ODK's own web form engine fills the exported XLSForm, and the import scores it as we do.

The XLSForm is converted by pyxform and rendered by ``@getodk/web-forms`` (ODK's
Vue form engine, from npm, with Vue) in Chromium at 360 px, switched to the
person's language. Each answer is given through that engine's interface: by the
question's label as the person reads it, ticking the choice's own label,
typing, or opening its drop-down list. The submission it produces is imported,
and the screening must equal the one this app's own interview made from the
same answers: the same evidence, the same assessment.
"""

import http.server
import threading
import xml.etree.ElementTree as ET  # noqa: S405 - reads the engine's own submission in a test
from pathlib import Path

import pytest
from flask_babel import force_locale
from pyxform.xls2xform import convert

from screening.cases import records
from screening.collect import xlsform
from screening.collect.formats import read_xml
from screening.collect.intake import import_submissions
from screening.collect.xlsform import AGE_OTHER_TEXT
from screening.forms.interview import INTERPRETER
from screening.i18n.languages import LANGUAGE_NAMES
from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument import questionnaire
from screening.instrument.bank import ALTERNATIVES
from screening.instrument.logic import walk
from tests.browser.conftest import _missing
from tests.conftest import IN_DANGER, SCAM_COMPOUND, actor

MODULES = Path(__file__).resolve().parents[2] / "node_modules"
WEB_FORMS = MODULES / "@getodk" / "web-forms" / "dist"
FAILURES = Path(__file__).resolve().parents[2] / "build" / "screenshots" / "failures"
VUE = MODULES / "vue" / "dist" / "vue.esm-browser.prod.js"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>ODK Web Forms</title>
<script type="importmap">{"imports": {"vue": "/vue.js"}}</script></head><body><div id="app"></div>
<script type="module">
import { createApp, h } from "vue";
import { webFormsPlugin, OdkWebForm } from "/web-forms/index.js";
const formXml = await (await fetch("/form.xml")).text();
createApp({ render: () => h(OdkWebForm, {
  formXml,
  fetchFormAttachment: async () => new Response("", { status: 404 }),
  onSubmit: async (payload, callback) => {
    window.submission = await payload.data[0].get("xml_submission_file").text();
    callback({ status: "success" });
  },
}) }).use(webFormsPlugin).mount("#app");
</script></body></html>"""
# The three cases of the issue, each in the person's language: a man from a scam compound,
# a child alone, and a person in danger now.
CASES = {
    "adult-km": ({**SCAM_COMPOUND, "nationality": "NPL", "sex": "male"}, "km"),
    "child-th": ({"stage": "at_destination", "age": "15", "accompanied": "no", "sex": "female"}, "th"),
    "urgent-my": ({**IN_DANGER, "nationality": "MMR"}, "my"),
}
SHOWN = "() => [...document.querySelectorAll('.question-container .control-text label')].map(l => l.textContent)"
FIND = """([text, used]) => {
  const norm = s => s.replace(/\\s+/g, " ").trim();
  for (const box of document.querySelectorAll(".question-container")) {
    const label = box.querySelector(".control-text label");
    if (label && norm(label.textContent) === norm(text) && !used.includes(box.id)) return box.id;
  }
  return null;
}"""


def _serve(files):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            path = self.path.split("?")[0]
            if path.startswith("/web-forms/"):
                found = WEB_FORMS / path.removeprefix("/web-forms/")
                body = found.read_bytes() if found.is_file() and found.parent == WEB_FORMS else None
                kind = "text/javascript"
            else:
                body, kind = files.get(path, (None, None))
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def web_form(app, tmp_path):
    """Serve the exported form (no public key: the engine does not encrypt) in ODK Web Forms."""
    if not (WEB_FORMS / "index.js").exists() or not VUE.exists():
        _missing(
            "ODK Web Forms is not installed: the exported form was not filled in ODK's engine. Run `make node_modules`"
        )
    with app.app_context():
        workbook = xlsform.write_workbook(tmp_path / "screening.xlsx")
    xform = convert(xlsform=str(workbook), validate=False).xform
    server = _serve(
        {
            "/": (PAGE.encode(), "text/html"),
            "/form.xml": (xform.encode(), "text/xml"),
            "/vue.js": (VUE.read_bytes(), "text/javascript"),
        }
    )
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class Filler:
    """Answers the form through the engine's interface, in one language, question by question."""

    def __init__(self, page, app, lang):
        self.page, self.app, self.lang, self.used = page, app, lang, []

    def text(self, lazy):
        with self.app.test_request_context(), force_locale(self.lang):
            return str(lazy)

    def box(self, label):
        found = None
        for _attempt in range(50):
            found = self.page.evaluate(FIND, [self.text(label), self.used])
            if found:
                break
            self.page.wait_for_timeout(100)
        if not found:
            shown = self.page.evaluate(SHOWN)
            self.page.screenshot(path=str(FAILURES / "odk-web-forms.png"), full_page=True)
            raise AssertionError(f"no question labelled {self.text(label)!r} in the form shown; it shows: {shown}")
        self.used.append(found)
        return self.page.locator(f"[id='{found}']")

    def choose(self, label, values, texts):
        box = self.box(label)
        for value in values if isinstance(values, list) else [values]:
            box.locator(f"label.value-option:has(input[value='{value}'])").click()
        del texts  # the choice is found by its value, clicked by its label

    def pick(self, label, value_text):
        box = self.box(label)
        box.locator(".p-select").click()
        self.page.locator("li[role=option]", has_text=self.text(value_text)).first.click()

    def type(self, label, value):
        field = self.box(label).locator("input, textarea").first
        field.click()
        field.press_sequentially(str(value))  # key by key: the engine's number field listens to keys
        field.press("Tab")

    def answer(self, question, value):
        if question.kind == "number":
            if value in ALTERNATIVES:
                self.box(question.text)
                self.choose(AGE_OTHER_TEXT, value, None)
            else:
                self.type(question.text, value)
        elif question.kind == "text":
            self.type(question.text, value)
        elif question.appearance == "list":
            self.pick(question.text, question.choice(value).text)
        else:
            self.choose(question.text, value, None)


def _switch_language(page, lang):
    page.locator(".smaller-screens .language-changer").click()
    page.locator("li[role=option]", has_text=LANGUAGE_NAMES[lang]).first.click()


@pytest.mark.parametrize("case", CASES)
def test_odk_web_forms_fills_the_exported_form_and_the_import_scores_it_as_this_app_does(
    case, app, db, users, interview, browser, web_form
):
    answers, lang = CASES[case]
    interview.start()
    interview.run(answers)
    reference = next(db.query("select reference from screenings order by id desc limit 1"))["reference"]
    ours = records.find(db, reference)
    visible, effective = walk(questionnaire.QUESTIONS, records.answers(db, ours["id"]))

    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(web_form)
    page.locator(".question-container").first.wait_for()
    _switch_language(page, lang)
    filler = Filler(page, app, lang)
    filler.type(_l("Post or location"), "Poipet")
    filler.choose(_l("The person's language"), lang, None)
    filler.choose(_l("Is an interpreter helping?"), "none", INTERPRETER)
    filler.choose(questionnaire.CONSENT_QUESTION, "yes", None)
    for question in visible:
        if question.id in effective:
            filler.answer(question, effective[question.id])
    page.get_by_role("button", name="Send").click()
    page.wait_for_function("() => window.submission", timeout=15000)
    submission = page.evaluate("() => window.submission").encode()
    context.close()
    assert not errors, errors

    parsed = read_xml("web-forms.xml", submission, lambda _name: None, None)
    assert ET.fromstring(submission).find(".//{*}instanceID") is not None  # noqa: S314
    report = import_submissions(db, actor(db, "supervisor"), [parsed])
    assert report.errors == [], [str(e) for e in report.errors]
    theirs = records.find(db, report.imported[0])
    assert records.answers(db, theirs["id"]) == effective
    assert theirs["evidence"] == ours["evidence"]
    assert theirs["assessment"] == ours["assessment"]
    assert theirs["interview_lang"] == lang
