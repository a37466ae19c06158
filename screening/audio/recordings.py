"""Recordings of the person's texts: added by a speaker, approved by a second person, played only while current.

A recording belongs to one text (its message id) in one language and keeps
the words it was made for. It is played to the person only when it is
approved and those words are still the text's translation: a text changed
since is "out of date" until it is recorded again. Whoever added a recording
cannot approve it. Every addition and decision is audited.
"""

import functools
import hashlib

from flask_babel import force_locale, gettext

from screening.audio import clips
from screening.db.connection import now, write_transaction
from screening.i18n import person
from screening.protection import audit

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
# What the audio page shows for a text in a language.
NONE, CURRENT, WAITING, OUT_OF_DATE = "none", "current", "waiting", "out_of_date"


@functools.cache
def texts():
    """Return the message id of every text the person hears, the interview's questions first, in their order."""
    first = [m for m in person.spoken_order() if "%(" not in m]
    rest = [m for m in person.person_messages() if "%(" not in m and m not in first]
    return tuple(first + rest)


def key(msgid):
    """Return the short, stable key of a text, for addresses and file names."""
    return hashlib.sha256(msgid.encode()).hexdigest()[:16]


def by_key(k):
    """Return the message id with this key, or None."""
    return next((m for m in texts() if key(m) == k), None)


def words(msgid, lang):
    """Return a text as the person reads it in ``lang``: what a recording must say."""
    with force_locale(lang):
        return gettext(msgid)


def add(db, actor, lang, msgid, data, source="browser"):
    """Check and keep a new recording, waiting for approval; return its id. Raises clips.ClipError."""
    kind, duration = clips.check(data)
    row = {
        "lang": lang,
        "msgid": msgid,
        "text": words(msgid, lang),
        "status": PENDING,
        "mime": kind,
        "audio": data,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "duration_ms": duration,
        "source": source,
        "recorded_by": actor.id,
        "recorded_at": now(),
    }
    with write_transaction(db):
        rowid = db["recordings"].insert(row).last_pk
        audit.record(db, "recording_add", actor, detail={"lang": lang, "of": key(msgid), "via": source})
    return rowid


def decide(db, actor, recording_id, approve):
    """Approve or reject a waiting recording; return False if it is not waiting or was added by ``actor``."""
    row = get(db, recording_id)
    if row is None or row["status"] != PENDING or row["recorded_by"] == actor.id:
        return False
    with write_transaction(db):
        db["recordings"].update(
            recording_id, {"status": APPROVED if approve else REJECTED, "decided_by": actor.id, "decided_at": now()}
        )
        audit.record(db, "recording_decide", actor, detail={"lang": row["lang"], "approved": approve})
    return True


def get(db, recording_id):
    """Return a recording's row (without its audio), or None."""
    sql = (
        "select id, lang, msgid, text, status, mime, sha256, bytes, duration_ms, source, recorded_by, "
        "recorded_at, decided_by from recordings where id = ?"
    )
    return next(db.query(sql, [recording_id]), None)


def audio_of(db, sha256):
    """Return (mime, bytes, status) of the recording with this hash, or None."""
    row = next(db.query("select mime, audio, status from recordings where sha256 = ? order by id desc", [sha256]), None)
    return (row["mime"], row["audio"], row["status"]) if row else None


def _rows(db, lang, statuses):
    marks = ", ".join("?" for _ in statuses)
    columns = "id, msgid, text, status, mime, sha256, bytes, duration_ms, recorded_by"
    sql = f"select {columns} from recordings where lang = ? and status in ({marks}) order by id desc"  # noqa: S608
    return db.query(sql, [lang, *statuses])


def playable(db, lang, msgids=None):
    """Return message id -> its newest approved recording still saying the text's words, for ``lang``."""
    wanted = None if msgids is None else set(msgids)
    found = {}
    for row in _rows(db, lang, (APPROVED,)):
        if row["msgid"] in found or (wanted is not None and row["msgid"] not in wanted):
            continue
        if row["text"] == words(row["msgid"], lang):
            found[row["msgid"]] = row
    return found


def overview(db, lang):
    """Return, for every text in ``lang``: its words, its state, the recording played, the newest waiting one."""
    current = playable(db, lang)
    waiting, stale = {}, set()
    for row in _rows(db, lang, (PENDING, APPROVED)):
        fits = row["text"] == words(row["msgid"], lang)
        if row["status"] == PENDING and fits:
            waiting.setdefault(row["msgid"], row)
        elif row["status"] == APPROVED and not fits:
            stale.add(row["msgid"])
    listing = []
    for msgid in texts():
        state = CURRENT if msgid in current else OUT_OF_DATE if msgid in stale else NONE
        if msgid in waiting and state != CURRENT:
            state = WAITING
        listing.append(
            {
                "msgid": msgid,
                "key": key(msgid),
                "words": words(msgid, lang),
                "state": state,
                "current": current.get(msgid),
                "waiting": waiting.get(msgid),
            }
        )
    return listing


def url_name(row):
    """Return the file name a recording is served under: its hash and its type's extension."""
    return f"{row['sha256']}.{clips.EXTENSIONS[row['mime']]}"
