"""The restore drill: the post's machine is lost in the middle of the load; a new one is restored from the replica.

Run: .venv/bin/python bench/restore_drill.py [--officers 50] [--kill-after 20] [--replica folder,s3]
For each replica (a folder, and an S3-compatible server, moto's, on loopback) it
runs the production server under Litestream as ``make run`` does with
SCREENING_REPLICA_URL set, lets the simulated officers of bench/load.py work,
then kills the server and Litestream together with SIGKILL, deletes the data
folder (the machine is gone: only the keys, kept apart, survive), restores
into a new folder with ``flask data restore``'s code, starts the app there and
counts. Every answer acknowledged more than the replication interval (about a
second) before the kill must be there; the audit chain must verify, the
database pass PRAGMA integrity_check, and an officer log in and finish an
interview. It prints the answers at risk (acknowledged in the last interval,
and not there) and the time the restore took.
"""

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import SimulatedOfficer, Tally, run_officers, same, stored  # noqa: E402

from screening.db.connection import connect  # noqa: E402
from screening.protection import replication  # noqa: E402
from screening.protection.audit import verify  # noqa: E402
from tests.browser.server import ProductionServer, seed  # noqa: E402

INTERVAL_SECONDS = 1.0
KEYS = ("encryption.key", "secret_key", "submissions.pem")


class Stamped(dict):
    """The acknowledged answers, each with the moment its acknowledgement arrived."""

    def __init__(self):
        super().__init__()
        self.at = {}

    def __setitem__(self, key, value):
        self.at[key] = time.time()
        super().__setitem__(key, value)


def s3_replica():
    """Start moto's S3 server on loopback with a bucket; return (its URL for Litestream, the server)."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ.update(AWS_ACCESS_KEY_ID="drill", AWS_SECRET_ACCESS_KEY="drill")  # noqa: S106 - moto takes any
    os.environ.pop("AWS_CA_BUNDLE", None)  # Litestream's S3 client refuses a custom bundle with an endpoint
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="post")
    return f"s3://post/screening?endpoint={endpoint}&region=us-east-1&force-path-style=true", server


def drill(kind, officers, kill_after, folder):
    """Run one drill against one replica; return the answers lost that had been replicated (should be 0)."""
    lost_machine, new_machine = folder / "post", folder / "new-machine"
    moto = None
    if kind == "s3":
        url, moto = s3_replica()
    else:
        url = f"file://{folder / 'usb-disk'}"
    usernames = [f"officer{n:02d}" for n in range(1, officers + 1)]
    seed(lost_machine, dict.fromkeys(usernames, "officer"))
    tally, stop = Tally(), threading.Event()
    tally.acknowledged = Stamped()
    server = ProductionServer(lost_machine, replica_url=url).start()
    threads = run_officers(server.url, usernames, kill_after * 10, 0.0, tally, stop)
    time.sleep(kill_after)
    stop.set()
    server.kill()
    killed_at = time.time()
    for thread in threads:
        thread.join()
    acknowledged = dict(tally.acknowledged)
    print(
        f"[{kind}] killed the server and Litestream (SIGKILL) after {kill_after:.0f} s of load by {officers} "
        f"officers: {len(acknowledged)} answers acknowledged, {len(tally.completed)} interviews completed"
    )
    new_machine.mkdir()
    for name in KEYS:
        if (lost_machine / name).exists():
            shutil.copy(lost_machine / name, new_machine / name)
    shutil.copytree(lost_machine / "signing", new_machine / "signing")
    shutil.rmtree(lost_machine)  # the machine is gone
    started = time.monotonic()
    restored = replication.restore(url, new_machine)
    took = time.monotonic() - started
    db = connect(restored)
    chain, _bad = verify(db)
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    print(f"[{kind}] restored in {took:.1f} s; integrity: {integrity}; audit chain intact: {chain}")
    found = stored(new_machine, {reference for reference, _question in acknowledged})
    missing = {key for key, value in acknowledged.items() if not same(value, found[key[0]][1].get(key[1]))}
    safe = {key for key in acknowledged if tally.acknowledged.at[key] < killed_at - INTERVAL_SECONDS}
    at_risk = set(acknowledged) - safe
    print(
        f"[{kind}] answers acknowledged more than {INTERVAL_SECONDS:.0f} s before the kill: {len(safe)}, of which "
        f"missing: {len(missing & safe)}; in the last {INTERVAL_SECONDS:.0f} s: {len(at_risk)}, of which not "
        f"replicated (at risk): {len(missing & at_risk)}"
    )
    after = ProductionServer(new_machine).start()
    officer = SimulatedOfficer(after.url, usernames[0], Tally())
    officer.log_in()
    reference, _given = officer.interview()
    after.stop()
    print(f"[{kind}] on the new machine an officer logs in and completes an interview: {reference}")
    if moto:
        moto.stop()
    return len(missing & safe) + (integrity != "ok") + (not chain)


def main():
    """Drill each replica; exit 1 if anything replicated was lost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--kill-after", type=float, default=20.0, help="seconds of load before the kill")
    parser.add_argument("--replica", default="folder,s3", help="folder, s3 or both (comma-separated)")
    args = parser.parse_args()
    failures = 0
    for kind in [k.strip() for k in args.replica.split(",") if k.strip()]:
        with tempfile.TemporaryDirectory() as folder:
            failures += drill(kind, args.officers, args.kill_after, Path(folder))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
