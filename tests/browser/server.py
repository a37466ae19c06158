"""The app as it runs in production (gunicorn, gunicorn.conf.py) on a loopback port and a throwaway data folder.

Shared by the browser tests and the benchmarks in bench/, so that both measure
the server officers use, not the development server.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from screening import create_app
from screening.accounts import passwords, store
from screening.db.connection import connect
from screening.protection.audit import Actor
from screening.referral import directory

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LOOPBACK = "127.0.0.1"
READY_SECONDS = 60
STOP_SECONDS = 15
# Throwaway accounts on a throwaway database: hashed cheaply in this process only.
PASSWORD = "browser test password 7"
CHEAP_HASH = "pbkdf2:sha256:1000"
# One clearly fake organisation, so that the referral journey has somewhere to refer to.
ORGANISATION = {
    "name": "Test: Anti-trafficking unit",
    "kind": "anti_trafficking_police",
    "area": "Test province",
    "languages": "en,th",
    "phone": "+66 2 000 0000",
    "email": "unit@example.org",
    "address": "1 Test Road",
    "contact_person": "Duty officer",
    "print_lang": "en",
    "notes": None,
    "active": True,
}


def free_port():
    """Return a loopback port that nothing listens on just now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def seed(data_dir, accounts, organisations=(ORGANISATION,)):
    """Create (or migrate) the database in ``data_dir`` and add accounts and organisations directly.

    ``accounts`` maps username to role; every account gets PASSWORD. Returns the ids by username.
    """
    app = create_app({"SCREENING_DATA_DIR": data_dir})
    saved_method, passwords.PASSWORD_METHOD = passwords.PASSWORD_METHOD, CHEAP_HASH
    db = connect(app.config["SCREENING_DATABASE"])
    shell = Actor.shell()
    try:
        ids = {
            name: store.create(db, shell, username=name, password=PASSWORD, role=role)
            for name, role in accounts.items()
        }
        for organisation in organisations:
            directory.change(db, shell, organisation)
    finally:
        passwords.PASSWORD_METHOD = saved_method
        db.close()
    return ids


class ProductionServer:
    """Start, watch, kill and stop `gunicorn -c gunicorn.conf.py wsgi:app` on a free loopback port."""

    def __init__(self, data_dir, port=None, log_path=None, workers=None, replica_url=None):
        self.data_dir = Path(data_dir)
        # With a replica, the server runs as `make run` runs it then: under Litestream.
        self.replica_url = replica_url
        self.port = port or free_port()
        self.log_path = Path(log_path or self.data_dir / "server.log")
        self.workers = workers
        self.process = None

    @property
    def url(self):
        """Return the server's base address."""
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def database(self):
        """Return the path of the server's database."""
        return self.data_dir / "screening.db"

    def start(self):
        """Start the server in its own process group and wait until it answers."""
        env = {**os.environ, "HOST": LOOPBACK, "PORT": str(self.port), "SCREENING_DATA_DIR": str(self.data_dir)}
        env.pop("SCREENING_SECRET_KEY", None)
        if self.workers:
            env["WEB_CONCURRENCY"] = str(self.workers)
        else:
            env.pop("WEB_CONCURRENCY", None)
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed in stop()
        command = [str(GUNICORN), "-c", "gunicorn.conf.py", "wsgi:app"]
        if self.replica_url:
            env["SCREENING_REPLICA_URL"] = self.replica_url
            command = [sys.executable, "-m", "screening.protection.replication", "--", *command]
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list, our own server
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._log = log
        self.wait_ready()
        return self

    def wait_ready(self):
        """Poll the login page until it answers 200; raise with the server's log if it never does."""
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with status {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/login", timeout=2) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {READY_SECONDS} s:\n{self.log()}")

    def log(self):
        """Return what the server has written to its log."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self):
        """Kill the master and every worker at once with SIGKILL, as a power cut or the OOM killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._log.close()

    def stop(self):
        """Stop the server gracefully (SIGTERM to its process group), or kill it if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            print("the server did not stop in time: killing it", file=sys.stderr)
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()
