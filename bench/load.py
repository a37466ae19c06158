"""Load: simulated officers completing whole interviews against the production server, on loopback only.

Run: .venv/bin/python bench/load.py [--officers 50] [--seconds 60] [--think 0]
It serves the app with its production server and its default worker count
(gunicorn.conf.py) on 127.0.0.1 and a throwaway database, logs in one account
per simulated officer, and lets each officer go through interview after
interview as a browser would (GET each page, POST it, follow the redirect),
each with at most one request in flight (a bounded, closed-loop generator:
``--think`` seconds between pages, 0 by default: officers clicking as fast as
the server answers, far busier than any border post). New interviews start
until ``--seconds`` have passed; the ones under way are finished. It prints
requests per second, p50/p95/p99 latency per page, the errors, and then checks
the database: every completed interview is there, completed, with every
answer that was acknowledged. Targets: p95 under 150 ms, no error, nothing lost.
"""

import argparse
import http.client
import os
import random
import re
import runpy
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from screening import create_app  # noqa: E402
from screening.cases import records as cases  # noqa: E402
from screening.db.connection import get_db  # noqa: E402
from screening.instrument import questionnaire  # noqa: E402
from screening.instrument.logic import walk  # noqa: E402
from tests.browser.server import PASSWORD, ProductionServer, seed  # noqa: E402
from tests.conftest import DEFAULT_ANSWERS, DEFAULT_BY_KIND, SCAM_COMPOUND  # noqa: E402

TARGET_P95_MS = 150
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
OBSERVATIONS_LINK = re.compile(r'href="([^"]+)"[^>]*>Continue to your observations')
REQUEST_TIMEOUT = 60
MAX_PAGES = 60
# A few kinds of interview, so that the pages asked (and the work of scoring) vary as at a real post.
PROFILES = [
    SCAM_COMPOUND,
    {"stage": "in_transit", "deceived": ["job_nature", "legal_status"]},
    {"conditions": ["excessive_hours", "low_or_no_pay"]},
    {"age": "16", "act": "yes", "forms": ["sexual"], "accompanied": "yes"},
    {"danger_now": "yes", "officer_concern": "yes", "officer_concern_reason": "Her ticket was bought by a stranger."},
]
PAGES = defaultdict(list)
for _question in questionnaire.QUESTIONS:
    PAGES[_question.page_id].append(_question)


class ServerGone(Exception):
    """The server stopped answering (expected only when crash_safety.py kills it)."""


class PageError(Exception):
    """A page answered with an unexpected status (already counted as an error)."""


class Tally:
    """Latencies per page, errors, and what the server acknowledged, shared by every simulated officer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)
        self.error_samples = []
        self.completed = {}
        # (reference, question id) -> value, for every page whose POST was answered with a redirect.
        self.acknowledged = {}

    def latency(self, kind, seconds):
        """Record one request's time."""
        with self.lock:
            self.latencies[kind].append(seconds)

    def error(self, kind, text):
        """Record one error, keeping a few for the report."""
        with self.lock:
            self.errors[kind] += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(f"{kind}: {text}")


class SimulatedOfficer:
    """One officer on one keep-alive connection: a cookie, and at most one request in flight."""

    def __init__(self, base_url, username, tally, think=0.0, seed_value=None):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.username, self.tally, self.think = username, tally, think
        self.random = random.Random(seed_value)  # noqa: S311 - varied answers, not secrets
        self.connection = None
        self.cookie = None

    def request(self, method, path, kind, data=None):
        """Send one request and return (status, location, body); time it under ``kind``."""
        body = urlencode(data, doseq=True) if data is not None else None
        headers = {"Accept-Language": "en"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            headers["Cookie"] = self.cookie
        label = f"{method} {kind}"
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.connection = None
            raise ServerGone(f"{label} {path}: {exc!r}") from exc
        self.tally.latency(label, time.perf_counter() - started)
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        expected = 302 if method == "POST" else 200
        if response.status != expected:
            self.tally.error(label, f"{path} answered {response.status}")
            raise PageError(f"{label} {path} answered {response.status}")
        return response.status, response.getheader("Location"), text

    def pause(self):
        """Wait as an officer reading the page would."""
        if self.think:
            time.sleep(self.random.uniform(0.5 * self.think, 1.5 * self.think))

    def log_in(self):
        """Log in as a browser does: the form, then the post."""
        _status, _location, page = self.request("GET", "/login", "login")
        token = CSRF.search(page).group(1)
        self.request("POST", "/login", "login", {"csrf_token": token, "username": self.username, "password": PASSWORD})

    def interview(self):
        """Complete one interview; return its reference and the answers the server acknowledged."""
        answers = self.random.choice(PROFILES)
        _s, _l, page = self.request("GET", "/new", "new")
        token = CSRF.search(page).group(1)
        form = {"csrf_token": token, "post": "Load test post", "interview_lang": "en", "interpreter": "none"}
        _s, location, _b = self.request("POST", "/new", "new", {**form, "private": "y"})
        reference = location.split("/")[2]
        self.pause()
        _s, _l, page = self.request("GET", location, "consent")
        _s, location, _b = self.request("POST", location, "consent", {"csrf_token": token, "consent": "yes"})
        given = {}
        for _step in range(MAX_PAGES):
            path = location.split("?")[0]
            if path.endswith("/check"):
                _s, _l, page = self.request("GET", location, "check")
                location = OBSERVATIONS_LINK.search(page).group(1).replace("&amp;", "&")
                continue
            if "/q/" not in path:
                self.request("GET", location, "result")
                return reference, given
            self.pause()
            _s, _l, page = self.request("GET", location, "question")
            page_id = path.split("/q/")[1]
            data = {"csrf_token": token}
            for question in PAGES[page_id]:
                default = DEFAULT_ANSWERS.get(question.id, DEFAULT_BY_KIND.get(question.kind))
                data[question.id] = answers.get(question.id, default)
            _s, location, _b = self.request("POST", location, "question", data)
            # The server keeps the answers to the questions the answers make visible, as the page shows them.
            sent = {**given, **{q.id: data[q.id] for q in PAGES[page_id]}}
            visible, _effective = walk(questionnaire.QUESTIONS, {k: typed(k, v) for k, v in sent.items()})
            for question in PAGES[page_id]:
                if question in visible:
                    self.tally.acknowledged[(reference, question.id)] = data[question.id]
                    given[question.id] = data[question.id]
        raise RuntimeError(f"interview {reference} did not end")

    def work(self, until, stop):
        """Log in, then complete interviews until the time is up or ``stop`` is set."""
        try:
            self.log_in()
            while time.monotonic() < until and not stop.is_set():
                try:
                    reference, given = self.interview()
                except PageError:
                    continue
                with self.tally.lock:
                    self.tally.completed[reference] = given
        except ServerGone as exc:
            if not stop.is_set():
                self.tally.error("connection", str(exc))
        except Exception as exc:  # reported as an error of the run, not a crash of the generator
            self.tally.error("generator", repr(exc))


def typed(question_id, value):
    """Return a value as the server stores it: a number typed as digits is a number."""
    kind = questionnaire.BY_ID[question_id].kind
    return int(value) if kind == "number" and isinstance(value, str) and value.isdigit() else value


def run_officers(base_url, usernames, seconds, think, tally, stop=None):
    """Run one simulated officer per username for ``seconds``; return the threads, started."""
    stop = stop or threading.Event()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=SimulatedOfficer(base_url, name, tally, think, seed_value=n).work, args=(until, stop), daemon=True
        )
        for n, name in enumerate(usernames)
    ]
    for thread in threads:
        thread.start()
    return threads


def percentile(values, fraction):
    """Return the value under which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def print_latencies(tally, elapsed):
    """Print requests per second and the latency of each kind of page."""
    total = sum(len(v) for v in tally.latencies.values())
    print(f"{total} requests in {elapsed:.1f} s: {total / elapsed:.0f} requests per second")
    print(f"{'page':18} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    everything = []
    for kind in sorted(tally.latencies):
        values = tally.latencies[kind]
        everything += values
        print(
            f"{kind:18} {len(values):8} {percentile(values, 0.5) * 1000:7.0f} {percentile(values, 0.95) * 1000:7.0f}"
            f" {percentile(values, 0.99) * 1000:7.0f} {max(values) * 1000:7.0f}"
        )
    p95 = percentile(everything, 0.95) * 1000
    print(
        f"{'all':18} {len(everything):8} {percentile(everything, 0.5) * 1000:7.0f} {p95:7.0f}"
        f" {percentile(everything, 0.99) * 1000:7.0f} {max(everything) * 1000:7.0f}"
        f"   target p95 < {TARGET_P95_MS} ms: {'met' if p95 < TARGET_P95_MS else 'NOT MET'}"
    )
    print(f"errors: {sum(tally.errors.values())} {dict(tally.errors) if tally.errors else ''}")
    for sample in tally.error_samples:
        print(f"  {sample}")


def print_server_errors(log):
    """Print each distinct exception the server logged, with how often."""
    found = defaultdict(int)
    for block in log.split("Traceback (most recent call last):")[1:]:
        ends = [line for line in block.splitlines() if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Exit)\b", line)]
        found[ends[0] if ends else "?"] += 1
    for line, count in found.items():
        print(f"  server error x{count}: {line}")


def stored(data_dir, references):
    """Return {reference: (status, answers)} read back from the database by the app's own code."""
    app = create_app({"SCREENING_DATA_DIR": data_dir})
    found = {}
    with app.app_context():
        db = get_db()
        for reference in references:
            row = cases.find(db, reference)
            found[reference] = (row["status"], cases.answers(db, row["id"])) if row else (None, {})
    return found


def same(sent, kept):
    """Return whether a stored answer is the one sent (numbers come back as numbers, choices as lists)."""
    if isinstance(sent, list):
        return isinstance(kept, list) and sorted(map(str, kept)) == sorted(sent)
    return str(kept) == str(sent)


def check_nothing_lost(data_dir, tally):
    """Print whether every completed interview is stored, completed, with all its answers; return the losses."""
    found = stored(data_dir, tally.completed)
    lost = []
    for reference, given in tally.completed.items():
        status, kept = found[reference]
        if status != cases.COMPLETED:
            lost.append(f"{reference}: status {status}")
        missing = [q for q, value in given.items() if q not in kept or not same(value, kept[q])]
        if missing or set(kept) - set(given):
            lost.append(f"{reference}: answers differ ({', '.join(missing) or 'extra answers'})")
    answers = sum(len(g) for g in tally.completed.values())
    print(
        f"completed interviews: {len(tally.completed)} ({answers} answers); in the database, complete and "
        f"identical: {len(tally.completed) - len(lost)}; lost or different: {len(lost)}"
    )
    for line in lost[:10]:
        print(f"  {line}")
    return lost


def main():
    """Run the load, print the figures, check the database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds between pages (0: none)")
    args = parser.parse_args()
    usernames = [f"officer{n:02d}" for n in range(1, args.officers + 1)]
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        seed(data_dir, dict.fromkeys(usernames, "officer"))
        tally = Tally()
        with ProductionServer(data_dir) as server:
            settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
            print(
                f"{args.officers} officers, {args.seconds:.0f} s, think time {args.think} s; production server "
                f"with its defaults ({settings['workers']} {settings['worker_class']} workers) on {server.url}"
            )
            started, cpu_started = time.monotonic(), time.process_time()
            for thread in run_officers(server.url, usernames, args.seconds, args.think, tally):
                thread.join()
            elapsed, generator_cpu = time.monotonic() - started, time.process_time() - cpu_started
            log = server.log()
        print_latencies(tally, elapsed)
        # The generator shares the machine with the server: what it takes, the server cannot have.
        cores = os.cpu_count() or 1
        print(
            f"the load generator itself used {generator_cpu:.0f} CPU-seconds, "
            f"{generator_cpu / (elapsed * cores):.0%} of the machine's {cores} cores"
        )
        print_server_errors(log)
        check_nothing_lost(data_dir, tally)


if __name__ == "__main__":
    main()
