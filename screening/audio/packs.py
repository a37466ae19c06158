"""Audio packs: one language's approved recordings in a zip file, so that one organisation's serve others.

A pack holds ``manifest.json`` (its format, its language, and for each clip
the text's message id, the words recorded, the file and its SHA-256) and the
clips under ``clips/``, named by their hash. Importing checks everything
before it keeps anything: only those names, no links, sizes within bounds,
each clip Opus of an acceptable length whose hash matches, each text one the
person hears. A clip whose words are no longer the text's translation here is
left out and counted, not kept. Clips come in approved: the person who imports
a pack answers for it, and the audit trail names them.
"""

import hashlib
import io
import json
import re
import stat
import zipfile

from screening.audio import clips, recordings
from screening.db.connection import now, write_transaction
from screening.protection import audit

FORMAT = "screening-audio-pack/1"
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 1024 * 1024
CLIP_NAME = re.compile(r"^clips/([0-9a-f]{64})\.(ogg|webm)$")


class PackError(ValueError):
    """A pack that cannot be imported; the message says why, and nothing of it was kept."""


def export(db, lang):
    """Return (zip bytes, number of clips): the approved recordings still current in ``lang``."""
    found = recordings.playable(db, lang)
    entries = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as pack:
        for msgid in recordings.texts():
            row = found.get(msgid)
            if row is None:
                continue
            name = f"clips/{recordings.url_name(row)}"
            audio = next(db.query("select audio from recordings where id = ?", [row["id"]]))["audio"]
            pack.writestr(name, audio)
            entry = {"msgid": msgid, "text": row["text"], "file": name, "sha256": row["sha256"]}
            entries.append(entry | {"duration_ms": row["duration_ms"]})
        manifest = {"format": FORMAT, "lang": lang, "clips": entries}
        pack.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return buffer.getvalue(), len(entries)


def _members(data):
    try:
        pack = zipfile.ZipFile(io.BytesIO(data))
        infos = pack.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PackError("not a zip file") from exc
    if len(infos) > len(recordings.texts()) + 2:
        raise PackError("more files than there are texts")
    contents = {}
    for info in infos:
        if info.is_dir() and info.filename == "clips/":
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackError(f"{info.filename}: a link")
        if info.filename != MANIFEST and not CLIP_NAME.match(info.filename):
            raise PackError(f"{info.filename}: not a file an audio pack holds")
        bound = MANIFEST_MAX_BYTES if info.filename == MANIFEST else clips.MAX_BYTES
        if info.file_size > bound or info.filename in contents:
            raise PackError(f"{info.filename}: too large, or twice")
        with pack.open(info) as member:
            contents[info.filename] = member.read(bound + 1)
        if len(contents[info.filename]) > bound:
            raise PackError(f"{info.filename}: too large")
    if MANIFEST not in contents:
        raise PackError("no manifest.json")
    return contents


def read(data, languages):
    """Return (language, [(message id, words, audio, mime, length)]) from a pack; raise PackError if any is wrong."""
    contents = _members(data)
    try:
        manifest = json.loads(contents[MANIFEST])
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackError("manifest.json is not JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackError(f"manifest.json is not {FORMAT}")
    lang = manifest.get("lang")
    if lang not in languages:
        raise PackError(f"{lang!r} is not an interview language here")
    known = set(recordings.texts())
    found = []
    for entry in manifest.get("clips") or []:
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("msgid", "text", "file")):
            raise PackError("a clip in manifest.json without its text or file")
        if entry["msgid"] not in known:
            raise PackError(f"{entry['file']}: for a text the person does not hear here")
        audio = contents.get(entry["file"])
        if audio is None or hashlib.sha256(audio).hexdigest() != CLIP_NAME.match(entry["file"]).group(1):
            raise PackError(f"{entry['file']}: missing, or not the file its name says")
        try:
            mime, length = clips.check(audio)
        except clips.ClipError as exc:
            raise PackError(f"{entry['file']}: {exc}") from exc
        found.append((entry["msgid"], entry["text"], audio, mime, length))
    return lang, found


def import_pack(db, actor, data, languages):
    """Keep a pack's clips as approved recordings; return (language, kept, left out as out of date, already here)."""
    lang, found = read(data, languages)
    kept = stale = already = 0
    stamp = now()
    with write_transaction(db):
        for msgid, text, audio, mime, length in found:
            if text != recordings.words(msgid, lang):
                stale += 1
                continue
            sha256 = hashlib.sha256(audio).hexdigest()
            if recordings.playable(db, lang, [msgid]).get(msgid, {}).get("sha256") == sha256:
                already += 1
                continue
            row = {"lang": lang, "msgid": msgid, "text": text, "status": recordings.APPROVED, "mime": mime}
            row |= {"audio": audio, "sha256": sha256, "bytes": len(audio), "duration_ms": length, "source": "pack"}
            row |= {"recorded_by": None, "recorded_at": stamp, "decided_by": actor.id, "decided_at": stamp}
            db["recordings"].insert(row)
            kept += 1
        detail = {"lang": lang, "kept": kept, "out_of_date": stale, "already": already}
        audit.record(db, "recordings_import", actor, detail=detail)
    return lang, kept, stale, already
