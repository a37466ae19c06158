"""Measure the desk on many screenings: p50/p95 of the case search and of the statistics page.

Run: .venv/bin/python bench/desk_bench.py [--count 100000] [--runs 30] [--data DIR]
It seeds COUNT demo screenings (once: an existing --data folder is reused), logs
in as an administrator who sees them all, and times whole requests through the
app (query, template and all) for several searches and for the statistics page.
Target: p95 under 200 ms on a 2-core machine.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from screening import create_app, demo  # noqa: E402
from screening.accounts import store  # noqa: E402
from screening.db.connection import connect  # noqa: E402
from screening.protection.audit import Actor  # noqa: E402

TARGET_MS = 200
PASSWORD = "bench password not for use"  # noqa: S105 - a throwaway account in a throwaway database
SEARCHES = {
    "desk, no filter": "/desk",
    "desk, presumed": "/desk?outcome=presumed",
    "desk, urgent child": "/desk?urgent=yes&child=yes",
    "desk, one post": "/desk?post=Demo%3A+Suvarnabhumi+airport",
    "desk, overdue referrals": "/desk?referral_status=overdue",
    "desk, date range, page 5": "/desk?date_from=2026-01-01&date_to=2026-06-30&page=5",
    "desk, reference": "/desk?reference=AAAA-BBBB-CCCC",
    "statistics page": "/statistics",
}


def percentile(values, share):
    """Return the value below which ``share`` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    """Seed, log in, time each page, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--data", type=Path, default=None, help="Reuse (or create) this data folder.")
    args = parser.parse_args()
    folder = args.data or Path(tempfile.mkdtemp(prefix="desk-bench-"))
    app = create_app({"SCREENING_DATA_DIR": folder, "WTF_CSRF_ENABLED": False})
    db = connect(app.config["SCREENING_DATABASE"])
    have = next(db.query("select count(*) as n from screenings"))["n"]
    if have < args.count:
        start = time.perf_counter()
        with app.app_context():
            demo.seed(db, args.count - have, seed_value=have, actor=Actor.shell())
        print(f"seeded {args.count - have} screenings in {time.perf_counter() - start:.0f} s", flush=True)
    if not list(db.query("select 1 from users where username = 'bench.admin'")):
        store.create(db, Actor.shell(), username="bench.admin", password=PASSWORD, role="admin")
    client = app.test_client()
    client.post("/login", data={"username": "bench.admin", "password": PASSWORD})
    total = next(db.query("select count(*) as n from screenings"))["n"]
    print(f"{total} screenings; {args.runs} runs per page; target p95 < {TARGET_MS} ms")
    print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8}")
    for name, path in SEARCHES.items():
        client.get(path)
        timings = []
        for _run in range(args.runs):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        p95 = percentile(timings, 0.95)
        flag = "" if p95 < TARGET_MS else "  over target"
        print(f"{name:32} {statistics.median(timings):8.1f} {p95:8.1f}{flag}", flush=True)


if __name__ == "__main__":
    main()
