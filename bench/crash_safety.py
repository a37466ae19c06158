"""Crash safety: kill the production server with SIGKILL in the middle of the load, restart it, lose nothing.

Run: .venv/bin/python bench/crash_safety.py [--officers 50] [--kill-after 15]
It runs the simulated officers of bench/load.py against the production server
on loopback, kills the server's whole process group (master and workers) with
SIGKILL after ``--kill-after`` seconds, as a power cut of the process or the
OOM killer would, restarts it on the same data folder, and checks that every
answer the server acknowledged before the kill (its POST answered with a
redirect) is in the database with the value sent, that the database passes
PRAGMA integrity_check, and that the restarted server serves officers again.
"""

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import SimulatedOfficer, Tally, run_officers, same, stored  # noqa: E402

from screening.db.connection import connect  # noqa: E402
from tests.browser.server import ProductionServer, seed  # noqa: E402


def main():
    """Load, kill, restart, check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--kill-after", type=float, default=15.0, help="seconds of load before the kill")
    args = parser.parse_args()
    usernames = [f"officer{n:02d}" for n in range(1, args.officers + 1)]
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        seed(data_dir, dict.fromkeys(usernames, "officer"))
        tally, stop = Tally(), threading.Event()
        server = ProductionServer(data_dir).start()
        threads = run_officers(server.url, usernames, args.kill_after * 10, 0.0, tally, stop)
        time.sleep(args.kill_after)
        with tally.lock:
            before = len(tally.acknowledged)
        stop.set()
        server.kill()
        killed_at = time.monotonic()
        for thread in threads:
            thread.join()
        # Every acknowledgement counted was received before the kill: the threads are done and
        # no answer can arrive from a dead server.
        acknowledged = dict(tally.acknowledged)
        print(
            f"killed the server (SIGKILL to master and workers) after {args.kill_after:.0f} s of load by "
            f"{args.officers} officers: {len(acknowledged)} answers acknowledged ({before} when the kill was "
            f"decided), {len(tally.completed)} interviews completed"
        )

        restarted = ProductionServer(data_dir, port=server.port, log_path=data_dir / "server-restart.log")
        restarted.start()
        print(f"restarted on the same data folder in {time.monotonic() - killed_at:.1f} s")
        officer = SimulatedOfficer(restarted.url, usernames[0], Tally())
        officer.log_in()
        reference, _given = officer.interview()
        print(f"after the restart an officer logs in and completes an interview: {reference}")
        restarted.stop()

        references = {reference for reference, _question in acknowledged}
        found = stored(data_dir, references)
        missing = [
            f"{reference} {question}"
            for (reference, question), value in acknowledged.items()
            if question not in found[reference][1] or not same(value, found[reference][1][question])
        ]
        print(
            f"acknowledged answers in the database after the restart: {len(acknowledged) - len(missing)} of "
            f"{len(acknowledged)} (missing or different: {len(missing)})"
        )
        for line in missing[:10]:
            print(f"  missing: {line}")
        db = connect(data_dir / "screening.db")
        integrity = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
        db.close()
        print(f"PRAGMA integrity_check: {', '.join(integrity)}")
        if missing or integrity != ["ok"]:
            sys.exit(1)


if __name__ == "__main__":
    main()
