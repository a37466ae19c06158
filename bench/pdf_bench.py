"""Measure referral PDFs and the person's sheet: median warm render-and-sign time and file size, per locale.

Run: .venv/bin/python bench/pdf_bench.py [--runs N]
It builds a temporary database with one completed, referred demo case (all data
items shared, so the document is the full two-page referral), renders it once
per locale to warm up, then N times (rendered and signed, as every printed
document is), and prints a table; then the same for the person's "information
for you" sheet in every interview language, the nine of the interview only
among them. Targets: median under 0.5 s on a 2-core machine, and under 300 KB
per document.

"text %" is the share of the document's words that poppler's pdftotext gives back
exactly (tests/renderers.py: words split at spaces, and by ICU in Thai, Khmer, Lao
and Burmese): what a receiving caseworker can search, copy or have read aloud.
"""

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402

from screening import create_app, demo  # noqa: E402
from screening.cases import records as cases  # noqa: E402
from screening.db.connection import connect  # noqa: E402
from screening.i18n.languages import INTERVIEW_NAMES, LANGUAGE_NAMES  # noqa: E402
from screening.protection.audit import Actor  # noqa: E402
from screening.referral import directory, pdf, referrals, signing  # noqa: E402
from screening.referral import person as referral_person  # noqa: E402
from tests.renderers import extraction_share  # noqa: E402

TARGET_SECONDS = 0.5
TARGET_BYTES = 300 * 1024


def timed(render, runs):
    """Return (median seconds, fastest seconds, bytes) of ``render()`` after one warm-up run."""
    timings, data = [], b""
    for run in range(runs + 1):
        start = time.perf_counter()
        data = render()
        if run:
            timings.append(time.perf_counter() - start)
    return statistics.median(timings), min(timings), data


def flag(median, data):
    """Return the note printed beside a document over a target."""
    return "" if median < TARGET_SECONDS and len(data) < TARGET_BYTES else "  over target"


def main():
    """Render the referral in every locale and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SCREENING_DATA_DIR": folder})
        db = connect(app.config["SCREENING_DATABASE"])
        with app.app_context():
            reference = demo.seed(db, 1, seed_value=1, actor=Actor.shell())[0]
        screening = cases.find(db, reference)
        db.execute("update referrals set shared_items = ?", [json.dumps(list(referrals.ITEMS))])
        referral = referrals.for_case(db, screening["id"])[0]
        person = referral_person.stored(db, screening["id"])
        answers = cases.answers(db, screening["id"])
        officer = next(db.query("select * from users where id = ?", [referral["created_by"]]))
        targets = f"target <{TARGET_SECONDS}s, <{TARGET_BYTES // 1024}KB"
        print(f"{'locale':8} {'median s':>9} {'min s':>7} {'KB':>6} {'pages':>5} {'text %':>7}  {targets}")
        with app.test_request_context():
            for lang in LANGUAGE_NAMES:
                html = pdf.referral_html(screening, referral, person, answers, officer, lang)
                attached = pdf.payload(screening, referral, person, answers, officer)
                median, fastest, data = timed(lambda: signing.sign(pdf.render(html, "a4", attached)), args.runs)  # noqa: B023
                pages = len(PdfReader(io.BytesIO(data)).pages)
                text = 100 * extraction_share(html, data, lang)
                size = len(data) / 1024
                print(f"{lang:8} {median:9.3f} {fastest:7.3f} {size:6.0f} {pages:5} {text:7.1f}{flag(median, data)}")
            organisation = directory.get_organisation(db, referral["organisation_id"])
            print(f"\nthe person's sheet\n{'locale':8} {'median s':>9} {'min s':>7} {'KB':>6} {'pages':>5}  {targets}")
            for lang in INTERVIEW_NAMES:
                html = pdf.info_html(screening, referral, organisation, lang)
                median, fastest, data = timed(lambda: signing.sign(pdf.render(html, "a4")), args.runs)  # noqa: B023
                pages = len(PdfReader(io.BytesIO(data)).pages)
                print(f"{lang:8} {median:9.3f} {fastest:7.3f} {len(data) / 1024:6.0f} {pages:5}{flag(median, data)}")


if __name__ == "__main__":
    main()
