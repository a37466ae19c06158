"""Lighthouse scores in mobile mode for the login, a question and the result page, with Debian's Chromium.

Run: .venv/bin/python bench/lighthouse.py [--runs 3]
Lighthouse comes from npm at the version package-lock.json pins (installed
here with `npm ci` when missing; it is a dev dependency, not needed by the
tests) and drives /usr/bin/chromium (CHROME_PATH), headless, with its default
mobile settings: a phone's screen, a slow 4G network and a 4x slower CPU, all
simulated. The app runs on its production server on loopback, on a throwaway
database with one officer, one finished interview and one under way; the
officer's session cookie is sent as an extra header. Prints the median of
``--runs`` runs per page. Targets: performance 0.95, accessibility 1.0, best
practices 0.95.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import CSRF, SimulatedOfficer, Tally  # noqa: E402

from tests.browser.phone import CHROMIUM, LAUNCH_ARGS  # noqa: E402
from tests.browser.server import ProductionServer, seed  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = {"performance": 0.95, "accessibility": 1.0, "best-practices": 0.95}
# Simulated on the slow 4G network and slow CPU: first paint, largest paint, blocking time (ms).
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")
CHROME_FLAGS = [flag for flag in LAUNCH_ARGS if flag != "--no-first-run"]
LIGHTHOUSE_SECONDS = 180
ATTEMPTS = 3


def ensure_lighthouse():
    """Install the npm packages of package-lock.json, Lighthouse included, when Lighthouse is missing."""
    if LIGHTHOUSE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is missing. Install it:  sudo apt-get install -y npm")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)  # noqa: S603 - fixed command
    (ROOT / "node_modules" / ".installed-from-lock").touch()


def prepare(server):
    """Log an officer in, finish one interview and start another; return (cookie, question path, result path)."""
    officer = SimulatedOfficer(server.url, "officer", Tally())
    officer.log_in()
    result, _given = officer.interview()
    _status, _location, page = officer.request("GET", "/new", "new")
    token = CSRF.search(page).group(1)
    form = {"csrf_token": token, "post": "Lighthouse post", "interview_lang": "en", "interpreter": "none"}
    _status, consent, _body = officer.request("POST", "/new", "new", {**form, "private": "y"})
    _status, question, _body = officer.request("POST", consent, "consent", {"csrf_token": token, "consent": "yes"})
    return officer.cookie, question, f"/s/{result}"


def audit(url, cookie=None):
    """Run Lighthouse once on ``url``; return its category scores."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    # Lighthouse now and then fails to record its trace (NO_NAVSTART): such a run is tried again.
    for attempt in range(ATTEMPTS):
        finished = subprocess.run(  # noqa: S603 - our own command line
            command,
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            capture_output=True,
            text=True,
            timeout=LIGHTHOUSE_SECONDS,
            check=False,
        )
        if finished.returncode == 0:
            break
        print(f"  lighthouse failed on {url} (attempt {attempt + 1}): {finished.stderr.strip()[-300:]}")
    else:
        sys.exit(f"lighthouse failed {ATTEMPTS} times on {url}")
    report = json.loads(finished.stdout)
    failed = {
        audit_id: item["title"]
        for audit_id, item in report["audits"].items()
        if item.get("score") is not None and item["score"] < 1 and item.get("scoreDisplayMode") == "binary"
    }
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    scores.update({metric: report["audits"][metric]["numericValue"] for metric in METRICS})
    return scores, failed


def main():
    """Score the three pages and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_lighthouse()
    with tempfile.TemporaryDirectory() as folder:
        seed(Path(folder), {"officer": "officer"})
        with ProductionServer(Path(folder)) as server:
            cookie, question, result = prepare(server)
            pages = [("login", "/login", None), ("question", question, cookie), ("result", result, cookie)]
            targets = ", ".join(f"{name} {score}" for name, score in CATEGORIES.items())
            print(
                f"{'page':10} {'performance':>12} {'accessibility':>14} {'best-practices':>15}"
                f" {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>7}   targets: {targets}"
            )
            for name, path, page_cookie in pages:
                runs = [audit(server.url + path, page_cookie) for _ in range(args.runs)]
                scores = {c: statistics.median(run[0][c] for run in runs) for c in (*CATEGORIES, *METRICS)}
                short = [c for c, target in CATEGORIES.items() if scores[c] < target]
                print(
                    f"{name:10} {scores['performance']:12.2f} {scores['accessibility']:14.2f}"
                    f" {scores['best-practices']:15.2f}"
                    + "".join(f" {scores[m]:7.0f}" for m in METRICS)
                    + f"   {'below target: ' + ', '.join(short) if short else 'met'}"
                )
                failed = {k: v for run in runs for k, v in run[1].items()}
                for audit_id, title in sorted(failed.items()):
                    print(f"             failed audit {audit_id}: {title}")


if __name__ == "__main__":
    main()
