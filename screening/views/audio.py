"""Audio: the person's texts recorded by people who speak the language, approved by a second person, and played.

Administrators and accounts with the "voice" role see every text the person
hears, per language, with its recording. A speaker records in the browser
(static/record.js: MediaRecorder, Opus) or uploads a file without any script;
listens back; sends it. Someone else approves or rejects it. Clips are served
by the hash of their content, cached for good by the phone and fetched only
when played.
"""

import io

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_wtf import FlaskForm

from screening.access import may
from screening.accounts.auth import login_required, requires
from screening.audio import clips, recordings
from screening.db.connection import get_db
from screening.i18n.languages import interview_locales, language_name
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection.audit import Actor
from screening.protection.security import MICROPHONE_POLICY

bp = Blueprint("audio", __name__, url_prefix="/audio")

REFUSED = {
    "missing": _l("Choose a file, or record in the browser"),
    "format": _l("This file is not Opus audio in Ogg or WebM: record in the browser, or save the recording as Opus"),
    "size": _l("This file is too large: a clip is at most 256 KB"),
    "length": _l("A clip lasts from 0.3 to 60 seconds"),
    "rate": _l("This file is coded for music, not speech: record it at 16 to 24 kbit/s"),
}
STATES = {
    recordings.CURRENT: _l("Recorded"),
    recordings.WAITING: _l("Waiting for approval"),
    recordings.OUT_OF_DATE: _l("Out of date: the text changed"),
    recordings.NONE: _l("No recording yet"),
}
# A year: a clip's address is the hash of its content, so a new recording is a new address.
CLIP_MAX_AGE = 365 * 24 * 3600


def _language(lang):
    if lang not in interview_locales():
        abort(404)
    return lang


@bp.route("")
@requires("audio")
def index():
    """Every interview language, with how many of the person's texts are recorded."""
    db = get_db()
    rows = []
    for code in interview_locales():
        listing = recordings.overview(db, code)
        counts = {state: sum(1 for item in listing if item["state"] == state) for state in STATES}
        rows.append({"code": code, "name": language_name(code), "counts": counts, "total": len(listing)})
    return render_template("audio/index.html", rows=rows, states=STATES)


@bp.route("/<lang>")
@requires("audio")
def language(lang):
    """Every text the person hears in one language, with its recording and what is waiting."""
    listing = recordings.overview(get_db(), _language(lang))
    return render_template(
        "audio/language.html",
        code=lang,
        name=language_name(lang),
        listing=listing,
        states=STATES,
        url_name=recordings.url_name,
    )


@bp.route("/<lang>/<key>", methods=["GET", "POST"])
@requires("audio")
def text(lang, key):
    """One text: record or upload it, listen back, and approve or reject what someone else recorded."""
    _language(lang)
    msgid = recordings.by_key(key)
    if msgid is None:
        abort(404)
    db = get_db()
    form = FlaskForm()
    error = None
    if form.validate_on_submit():
        upload = request.files.get("clip")
        data = upload.read(clips.MAX_BYTES + 1) if upload else b""
        if not data:
            error = REFUSED["missing"]
        else:
            try:
                recordings.add(db, Actor.web(), lang, msgid, data, source=_source())
            except clips.ClipError as refused:
                error = REFUSED[refused.reason]
            else:
                flash(_l("Recording sent. Someone else listens to it and approves it before the person hears it."))
                return redirect(url_for("audio.text", lang=lang, key=key), 303)
    item = next(i for i in recordings.overview(db, lang) if i["msgid"] == msgid)
    html = render_template(
        "audio/text.html",
        code=lang,
        name=language_name(lang),
        item=item,
        states=STATES,
        form=form,
        error=error,
        url_name=recordings.url_name,
        me=g.user["id"],
    )
    return html, 400 if error else 200, {"Permissions-Policy": MICROPHONE_POLICY}


def _source():
    return "browser" if request.form.get("recorded") == "1" else "upload"


@bp.route("/<lang>/<key>/decide", methods=["POST"])
@requires("audio")
def decide(lang, key):
    """Approve or reject a waiting recording; its recorder cannot."""
    form = FlaskForm()
    recording_id = request.form.get("recording", "")
    readable = recording_id.isascii() and recording_id.isdigit() and len(recording_id) < 19
    row = recordings.get(get_db(), int(recording_id)) if readable else None
    if form.validate_on_submit() and row and row["lang"] == lang and recordings.key(row["msgid"]) == key:
        approve = request.form.get("decision") == "approve"
        if recordings.decide(get_db(), Actor.web(), row["id"], approve):
            flash(_l("Approved: the person hears this recording.") if approve else _l("Rejected."))
        else:
            flash(_l("You cannot decide on this recording: you made it yourself, or it was decided already."))
    return redirect(url_for("audio.text", lang=_language(lang), key=key), 303)


@bp.route("/clip/<name>")
@login_required
def clip(name):
    """One clip, by the hash of its content: an approved one to anyone logged in, others only to reviewers."""
    sha256, _dot, extension = name.partition(".")
    found = recordings.audio_of(get_db(), sha256) if len(sha256) == 64 else None
    if found is None or clips.EXTENSIONS.get(found[0]) != extension:
        abort(404)
    mime, data, status = found
    if status != recordings.APPROVED and not may(g.user, "audio"):
        abort(404)
    response = send_file(io.BytesIO(data), mimetype=mime, conditional=True, etag=sha256, max_age=CLIP_MAX_AGE)
    response.cache_control.private = True
    response.cache_control.public = False
    response.cache_control.immutable = True
    return response
