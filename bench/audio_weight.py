"""Weigh the audio of a whole hand-over per language: what the phone downloads when the person plays everything.

Run: .venv/bin/python bench/audio_weight.py [--languages en,th,my,...]   (bench/page_weight.py runs it too)
It records one clip the way a speaker does (Chromium, its fake microphone fed a
tone, MediaRecorder at 16 kbit/s, the app's own upload and checks) to measure
what a second of speech weighs as stored and served. Then, for each language,
it adds up every question an adult may answer alone on the handed-over phone:
each text's speaking time is estimated from its length (characters per second
by script), times the measured weight. "questions" is the person playing each
question once; "with answers" also plays every answer's own clip. Clips are
downloaded only when played and cached for good, so this is the most one
interview can cost, once per phone.
"""

import argparse
import math
import struct
import sys
import tempfile
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_babel import force_locale  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from screening import create_app  # noqa: E402
from screening.audio import recordings  # noqa: E402
from screening.cases.handover import asked_alone  # noqa: E402
from screening.db.connection import connect  # noqa: E402
from screening.i18n.languages import INTERVIEW_NAMES  # noqa: E402
from screening.instrument import questionnaire  # noqa: E402
from tests.browser.officer import Officer  # noqa: E402
from tests.browser.phone import CHROMIUM, CONTEXT_OPTIONS, LAUNCH_ARGS  # noqa: E402
from tests.browser.server import ProductionServer, seed  # noqa: E402

RECORD_SECONDS = 5
# Characters read aloud per second, roughly, by script: syllabic scripts pack more into a character.
CHARS_PER_SECOND = {"zh_Hans": 4.5, "zh_Hant": 4.5, "ko": 6.0, "th": 11.0, "lo": 11.0, "km": 10.0, "my": 10.0}
DEFAULT_RATE = 13.0


class _Phone:
    javascript = True

    def __init__(self, browser, base_url):
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, **CONTEXT_OPTIONS)
        self.context.grant_permissions(["microphone"])
        self.page = self.context.new_page()

    def look(self, name, **_kwargs):
        return None


def _tone(path, seconds):
    rate = 48_000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = (int(6000 * math.sin(2 * math.pi * 180 * n / rate)) for n in range(rate * (seconds + 2)))
        out.writeframes(b"".join(struct.pack("<h", f) for f in frames))


def measured_rate():
    """Record one clip through the app in Chromium; return (bytes per second as stored, its length in s)."""
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        folder = Path(folder)
        _tone(folder / "voice.wav", RECORD_SECONDS)
        seed(folder, {"speaker": "voice"})
        fake = [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={folder / 'voice.wav'}",
        ]
        with ProductionServer(folder) as server:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*LAUNCH_ARGS, *fake])
            speaker = Officer(_Phone(browser, server.url), "speaker")
            speaker.log_in()
            page = speaker.page
            page.goto(f"/audio/en/{recordings.key(recordings.texts()[0])}")
            page.get_by_role("button", name="Start recording").click()
            page.wait_for_timeout(RECORD_SECONDS * 1000)
            page.get_by_role("button", name="Stop recording").click()
            page.locator("[data-playback]").wait_for(state="visible")
            page.get_by_role("button", name="Send the recording").click()
            page.get_by_text("Recording sent").wait_for()
            browser.close()
            row = next(connect(server.database).query("select bytes, duration_ms from recordings"))
    return row["bytes"] * 1000 / row["duration_ms"], row["duration_ms"] / 1000


def hand_over_texts():
    """Return (question texts, answer texts) of every question an adult may answer alone."""
    asked = [q for q in questionnaire.QUESTIONS if asked_alone(q) and "child" not in str(q.show_if)]
    questions = [t for q in asked for t in (q.text, q.hint) if t is not None]
    answers = [c.text for q in asked for c in q.choices]
    return questions, answers


def report(languages):
    """Print the audio weight of a whole hand-over per language."""
    rate, seconds = measured_rate()
    print(f"one clip recorded in Chromium: {seconds:.1f} s, {rate / 1024:.2f} KB a second as stored and served")
    questions, answers = hand_over_texts()
    app = create_app({"SCREENING_DATA_DIR": tempfile.mkdtemp(), "TESTING": True})
    print(f"{'language':8} {'speech s':>8} {'questions KB':>12} {'with answers KB':>15}")
    with app.test_request_context():
        for code in languages:
            per_second = CHARS_PER_SECOND.get(code, DEFAULT_RATE)
            with force_locale(code):
                asked = sum(len(str(t)) for t in questions) / per_second
                offered = sum(len(str(t)) for t in answers) / per_second
            print(f"{code:8} {asked:8.0f} {asked * rate / 1024:12.0f} {(asked + offered) * rate / 1024:15.0f}")


def main():
    """Measure one recorded clip, then weigh a whole hand-over's audio per language."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(INTERVIEW_NAMES), help="interview languages, comma-separated")
    args = parser.parse_args()
    report([code.strip() for code in args.languages.split(",") if code.strip()])


if __name__ == "__main__":
    main()
