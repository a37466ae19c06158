"""Weigh the pages of an interview as a phone downloads them: bytes per page, fonts apart, and which fonts.

Run: .venv/bin/python bench/page_weight.py [--languages en,th,my,...]
It serves the app with its production server on loopback and a throwaway
database, walks one interview per interview language (English interface; the
person's language on each question) in Debian's Chromium, and loads each
question page and the result page again in a fresh browser (nothing cached),
recording every response: bytes on the wire (headers and body as sent; the
server does not compress, which the table says if that changes), the page
itself, its style sheets, and the font files apart, by name. "warm" is the
page alone, as every page after the first is when the style sheets and fonts
are cached (they may be kept an hour). Target: under 30 KB per page apart
from fonts, and no font file downloaded for a script the page does not show.
Last, the audio of a whole hand-over per language (bench/audio_weight.py).
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench import audio_weight  # noqa: E402
from screening.i18n.languages import INTERVIEW_NAMES  # noqa: E402
from tests.browser.officer import Officer  # noqa: E402
from tests.browser.phone import CONTEXT_OPTIONS, launch  # noqa: E402
from tests.browser.server import ProductionServer, seed  # noqa: E402

TARGET_BYTES = 30 * 1024
# The script font a language's text needs; the other languages need none of ours.
SCRIPT_FONTS = {
    "th": "thai",
    "lo": "lao",
    "km": "khmer",
    "my": "myanmar",
    "vi": "vietnamese",
    "hi": "devanagari",
    "ne": "devanagari",
    "bn": "bengali",
    "si": "sinhala",
    "am": "ethiopic",
    "ur": "nastaliq",
}


class NullPhone:
    """Just enough of tests/browser/phone.Phone for the Officer driver, without the checks."""

    javascript = True

    def __init__(self, browser, base_url):
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, **CONTEXT_OPTIONS)
        self.page = self.context.new_page()

    def look(self, name, **_kwargs):
        """Check nothing: this is a measurement, not a test."""
        return None


def weigh(browser, base_url, cookies, path):
    """Load ``path`` in a fresh context with the officer's cookies; return what came over the wire."""
    context = browser.new_context(base_url=base_url, **CONTEXT_OPTIONS)
    context.add_cookies(cookies)
    responses = []

    def finished(request):
        sizes = request.sizes()
        response = request.response()
        responses.append(
            {
                "url": request.url,
                "type": request.resource_type,
                "bytes": sizes["responseHeadersSize"] + max(sizes["responseBodySize"], 0),
                "encoding": response.headers.get("content-encoding") if response else None,
            }
        )

    context.on("requestfinished", finished)
    page = context.new_page()
    page.goto(path)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")
    context.close()
    return responses


def summarise(responses):
    """Return (document bytes, other bytes apart from fonts, font bytes, font file names, encodings)."""
    document = sum(r["bytes"] for r in responses if r["type"] == "document")
    fonts = [r for r in responses if r["url"].endswith(".woff2")]
    other = sum(r["bytes"] for r in responses if r["type"] != "document" and r not in fonts)
    encodings = {r["encoding"] for r in responses if r["encoding"]}
    names = sorted(r["url"].rsplit("/", 1)[-1] for r in fonts)
    return document, other, sum(r["bytes"] for r in fonts), names, encodings


def main():
    """Walk one interview per language and print the weight of each page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(INTERVIEW_NAMES), help="interview languages, comma-separated")
    args = parser.parse_args()
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    over, wrong_fonts, encodings, cold_totals, warm_totals = [], [], set(), [], []
    font_weight = {}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        seed(Path(folder), {"officer": "officer"})
        with ProductionServer(Path(folder)) as server:
            browser = launch(playwright)
            print(f"{'language':8} {'page':24} {'warm KB':>7} {'cold KB':>7} {'fonts KB':>8}  font files")
            for code in languages:
                driver = Officer(NullPhone(browser, server.url))
                driver.log_in()
                driver.start(language=INTERVIEW_NAMES[code])
                cookies = driver.page.context.cookies()
                # Each page is weighed while it is the page to answer: once the interview is
                # finished its question pages send the officer to the result instead.
                while True:
                    page_id = driver.page_id()
                    at_check = driver.path().endswith("/check")
                    if not at_check:
                        name = f"q/{page_id}" if page_id else "result"
                        row = weigh(browser, server.url, cookies, driver.path())
                        document, other, font_bytes, names, used_encodings = summarise(row)
                        encodings |= used_encodings
                        cold, warm = document + other, document
                        cold_totals.append(cold)
                        warm_totals.append(warm)
                        allowed = SCRIPT_FONTS.get(code)
                        stray = [n for n in names if not (allowed and n.startswith(allowed))]
                        flags = ("  OVER 30 KB" if cold > TARGET_BYTES else "") + (
                            f"  FONT FOR ANOTHER SCRIPT: {', '.join(stray)}" if stray else ""
                        )
                        font_weight[code] = max(font_weight.get(code, 0), font_bytes)
                        if cold > TARGET_BYTES:
                            over.append((code, name))
                        if stray:
                            wrong_fonts.append((code, name, stray))
                        print(
                            f"{code:8} {name:24} {warm / 1024:7.1f} {cold / 1024:7.1f} {font_bytes / 1024:8.1f}"
                            f"  {' '.join(names) or '-'}{flags}"
                        )
                    if not driver.step(look=False):
                        break
                driver.phone.context.close()
            browser.close()
    print()
    print(f"pages weighed: {len(cold_totals)}")
    print(
        f"apart from fonts, first page (cold cache): median {statistics.median(cold_totals) / 1024:.1f} KB, "
        f"largest {max(cold_totals) / 1024:.1f} KB; later pages (warm): median "
        f"{statistics.median(warm_totals) / 1024:.1f} KB, largest {max(warm_totals) / 1024:.1f} KB"
    )
    print(f"compression: {', '.join(sorted(encodings)) if encodings else 'none (the server sends pages as they are)'}")
    print(f"over {TARGET_BYTES // 1024} KB apart from fonts: {len(over)} {over if over else ''}")
    print(f"font files for a script the page does not show: {len(wrong_fonts)} {wrong_fonts if wrong_fonts else ''}")
    print("fonts a language's pages download at most (KB, both weights, on the wire):")
    print("  " + ", ".join(f"{code} {weight / 1024:.0f}" for code, weight in font_weight.items()))
    print()
    print("audio of a whole hand-over (bench/audio_weight.py):")
    audio_weight.report(languages)


if __name__ == "__main__":
    main()
