"""Replication with Litestream: the server runs under it, a lost machine is restored from a folder or S3 replica.

The drill in short (bench/restore_drill.py is the long one): the app writes
screenings under ``litestream replicate``, both are killed with SIGKILL, the
data folder is deleted, the post is restored into a new folder, and every
answer acknowledged more than the replication interval before the kill is
there, the audit chain verifies, the database is intact and an officer can log
in and go on.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from screening import create_app
from screening.protection import replication
from tests.conftest import PASSWORD, Interview

ROOT = Path(__file__).resolve().parent.parent
# Litestream copies the log about once a second; an answer older than this is on the replica.
SAFE_AFTER_SECONDS = 3
# The app writing as officers do, printing each acknowledged answer (and when) as a JSON line.
WRITER = """
import json, sys, time
from screening import create_app
from screening.accounts import store
from screening.cases import records
from screening.db.connection import connect
from screening.protection.audit import Actor
from tests.conftest import PASSWORD
app = create_app()
db = connect(app.config["SCREENING_DATABASE"], replicated=True)
with app.app_context():
    officer = store.create(db, Actor.shell(), username="officer", password=PASSWORD, role="officer")
    actor = Actor.of(store.get(db, officer))
    for number in range(int(sys.argv[1])):
        case = records.create(db, actor, "Poipet", "km", "none")
        records.record_consent(db, actor, case, True)
        records.save_answers(db, actor, case, "safety", {"danger_now": "no", "controller_nearby": "no"})
        print("ack", json.dumps([case["reference"], time.time()]), flush=True)
        time.sleep(0.2)
    # The online backup reads pages while Litestream replicates: neither disturbs the other.
    from pathlib import Path
    from screening.protection.backup import backup
    backup(db, Path(app.config["SCREENING_DATA_DIR"]) / "copy.db", actor=Actor.shell())
print("written", flush=True)
time.sleep(600)
"""


def environment(data_dir, url, **more):
    env = {k: v for k, v in os.environ.items() if k != "AWS_CA_BUNDLE"}  # Litestream's S3 client rejects it
    return env | {"SCREENING_DATA_DIR": str(data_dir), "SCREENING_REPLICA_URL": url, "PYTHONPATH": str(ROOT)} | more


def run_and_kill(data_dir, url, cases=12, **env):
    """Run the writer under ``make run``'s launcher; SIGKILL both once it has written; return the acknowledgements."""
    server = [sys.executable, "-c", WRITER, str(cases)]
    launcher = [sys.executable, "-m", "screening.protection.replication", "--", *server]
    process = subprocess.Popen(  # noqa: S603 - our own launcher
        launcher, cwd=ROOT, env=environment(data_dir, url, **env), stdout=subprocess.PIPE, start_new_session=True
    )
    acknowledged = []
    for line in process.stdout:
        if line.strip() == b"written":
            break
        if line.startswith(b"ack "):
            acknowledged.append(json.loads(line[4:]))
    time.sleep(SAFE_AFTER_SECONDS)
    killed_at = time.time()
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return acknowledged, killed_at


def restored_app(tmp_path, lost, url):
    """Restore into a new folder with the keys brought apart, as the README says; return the app on it."""
    new = tmp_path / "new-machine"
    runner = create_app({"SCREENING_DATA_DIR": tmp_path / "anywhere", "TESTING": True}).test_cli_runner()
    result = runner.invoke(args=["data", "restore", "--from", url, "--to", str(new)])
    assert result.exit_code == 0, result.output
    assert "the database is intact and its audit trail" in result.output
    for name in ("encryption.key", "secret_key"):
        shutil.copy(lost / name, new / name)
    shutil.copytree(lost / "signing", new / "signing")
    return create_app({"SCREENING_DATA_DIR": new, "TESTING": True, "WTF_CSRF_ENABLED": False})


def keys_only(folder):
    """Lose the machine: the database and its log go, the keys (kept apart) are what remains of it."""
    for path in folder.glob("screening.db*"):
        path.unlink()
    shutil.rmtree(folder / ".screening.db-litestream", ignore_errors=True)


def check_nothing_lost(app, acknowledged, killed_at):
    from screening.cases import records
    from screening.db.connection import connect
    from screening.protection.audit import verify

    db = connect(app.config["SCREENING_DATABASE"])
    safe = [reference for reference, at in acknowledged if at < killed_at - SAFE_AFTER_SECONDS + 1]
    assert safe, "no answer was old enough to count"
    for reference in safe:
        screening = records.find(db, reference)
        assert screening is not None, reference
        assert records.answers(db, screening["id"]) == {"danger_now": "no", "controller_nearby": "no"}
    assert verify(db) == (True, None)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    officer = Interview(app.test_client())
    assert officer.login("officer", PASSWORD).status_code == 302
    officer.start()
    assert officer.client.get(officer.url("danger_now")).status_code == 200


def test_a_post_lost_after_a_sigkill_is_restored_from_a_folder_replica(tmp_path):
    data, replica = tmp_path / "post", tmp_path / "usb-disk"
    url = f"file://{replica}"
    acknowledged, killed_at = run_and_kill(data, url)
    assert any(replica.rglob("*.ltx"))
    assert (data / "copy.db").exists()
    keys_only(data)
    check_nothing_lost(restored_app(tmp_path, data, url), acknowledged, killed_at)


@pytest.fixture
def s3_bucket(monkeypatch):
    """Return an S3 replica URL on a moto server on loopback, and the credentials Litestream needs for it."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = {"AWS_ACCESS_KEY_ID": "drill", "AWS_SECRET_ACCESS_KEY": "drill"}
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_CA_BUNDLE", raising=False)
    boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", **{k.lower(): v for k, v in credentials.items()}
    ).create_bucket(Bucket="post")
    yield f"s3://post/screening?endpoint={endpoint}&region=us-east-1&force-path-style=true"
    server.stop()


def test_a_post_lost_after_a_sigkill_is_restored_from_an_s3_replica(tmp_path, s3_bucket):
    data = tmp_path / "post"
    acknowledged, killed_at = run_and_kill(data, s3_bucket)
    keys_only(data)
    check_nothing_lost(restored_app(tmp_path, data, s3_bucket), acknowledged, killed_at)


def test_status_says_when_the_replica_falls_behind_and_the_administrators_page_warns(tmp_path, db, users, app):
    replica = tmp_path / "usb-disk"
    url = f"file://{replica}"
    database = app.config["SCREENING_DATABASE"]
    subprocess.run([replication.binary(), "replicate", "-once", str(database), url], check=True, capture_output=True)  # noqa: S603
    app.config.update(SCREENING_REPLICA_URL=url, SCREENING_REPLICA_LAG_MINUTES=5)
    runner = app.test_cli_runner()
    kept_up = runner.invoke(args=["data", "status"])
    assert kept_up.exit_code == 0, kept_up.output
    assert "Behind the database by 0 s" in kept_up.output
    assert str(replica) in kept_up.output
    # The server goes on writing while Litestream is not running: an hour of changes never copied.
    later = time.time() + 3630
    os.utime(database, (later, later))
    behind = runner.invoke(args=["data", "status"])
    assert behind.exit_code == 1
    assert "falling behind" in behind.output
    replication._checked.clear()
    admin = Interview(app.test_client())
    admin.login("admin")
    page = admin.client.get("/admin/accounts").get_data(as_text=True)
    assert "The replica is 60 minutes behind." in page, page[page.find("<main") : page.find("<main") + 1500]


def test_without_a_replica_make_run_says_nothing_is_replicated_and_the_administrators_page_too(tmp_path, users, client):
    launcher = [sys.executable, "-m", "screening.protection.replication", "--", sys.executable, "-c", "print('served')"]
    env = environment(tmp_path, "")
    done = subprocess.run(launcher, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)  # noqa: S603
    assert done.stdout.strip() == "served"
    assert "nothing is replicated off this machine" in done.stderr
    admin = Interview(client)
    admin.login("admin")
    assert "Nothing is replicated off this machine" in client.get("/admin/accounts").get_data(as_text=True)


def test_make_run_refuses_to_serve_unreplicated_when_the_replica_url_is_wrong(tmp_path):
    launcher = [sys.executable, "-m", "screening.protection.replication", "--", sys.executable, "-c", "print('served')"]
    env = environment(tmp_path, "ftp://backup.example.org/screening")
    done = subprocess.run(launcher, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    assert done.returncode == 2
    assert "served" not in done.stdout
    assert "a replica URL starts with one of s3://" in done.stderr


@pytest.mark.parametrize("url", ["", "http://example.org/db", "ftp://host/db", "file://"])
def test_a_replica_url_litestream_cannot_take_is_refused_with_the_schemes_it_can(url):
    with pytest.raises(replication.ReplicationError, match="s3://"):
        replication.check_url(url)


def test_a_replica_url_is_printed_without_its_secrets():
    shown = replication.shown("sftp://post:hunter2@backup.example.org:22/screening?key=secret")
    assert shown == "sftp://post@backup.example.org:22/screening"


def test_while_litestream_replicates_the_apps_connections_leave_it_the_checkpoints(tmp_path):
    from screening.db.connection import get_db

    for url, expected in (("", 1000), (f"file://{tmp_path / 'replica'}", 0)):
        app = create_app({"SCREENING_DATA_DIR": tmp_path / (url and "replicated" or "alone"), "TESTING": True})
        app.config["SCREENING_REPLICA_URL"] = url
        with app.app_context():
            assert get_db().execute("PRAGMA wal_autocheckpoint").fetchone()[0] == expected
