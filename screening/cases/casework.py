"""Casework on a case: the caseworker's notes, links between screenings of one person, and the timeline.

Notes are free text, so they are encrypted like every other identifying field.
The timeline is built from what the records already hold (the case, its
referrals and their follow-up, documents printed, notes), never kept twice.
"""

from flask_babel import lazy_gettext as _l

from screening.db.connection import now
from screening.protection import crypto

NOTE_MAX = 1000

EVENTS = {
    "created": _l("Screening started"),
    "completed": _l("Screening completed"),
    "stopped": _l("Interview stopped"),
    "refused": _l("The person did not agree to the screening"),
    "referred": _l("Referred to %(organisation)s"),
    "followup": _l("Referral to %(organisation)s: %(status)s"),
    "printed": _l("Document printed: %(document)s"),
    "note": _l("Note added"),
    "linked": _l("Linked to an earlier screening"),
}


def add_note(db, screening_id, user_id, text):
    """Add a caseworker's note to a case."""
    db["notes"].insert({"screening_id": screening_id, "user_id": user_id, "at": now(), "text": crypto.encrypt(text)})


def notes(db, screening_id):
    """Return a case's notes, newest first, decrypted, with who wrote them."""
    rows = db.query(
        "select n.*, u.username from notes n left join users u on u.id = n.user_id "
        "where n.screening_id = ? order by n.id desc",
        [screening_id],
    )
    return [{**row, "text": crypto.decrypt(row["text"])} for row in rows]


def link(db, screening_id, earlier_id):
    """Record that a screening is of the same person as an earlier one."""
    db.execute("update screenings set linked_to = ? where id = ?", [earlier_id, screening_id])


def linked(db, screening):
    """Return (the earlier screening's reference or None, references of later screenings linked to this one)."""
    earlier = None
    if screening.get("linked_to"):
        rows = list(db.query("select reference from screenings where id = ?", [screening["linked_to"]]))
        earlier = rows[0]["reference"] if rows else None
    later = [
        r["reference"] for r in db.query("select reference from screenings where linked_to = ?", [screening["id"]])
    ]
    return earlier, later


def timeline(db, screening, referral_rows, exports, note_rows, documents, statuses):
    """Return the case's history as (timestamp, text, who) tuples, oldest first."""
    items = [(screening["created_at"], EVENTS["created"], None)]
    if screening["ended_at"] and screening["status"] in ("completed", "stopped", "refused"):
        items.append((screening["ended_at"], EVENTS[screening["status"]], None))
    names = {}
    for referral in referral_rows:
        names[referral["id"]] = referral["organisation_name"]
        items.append((referral["created_at"], _fmt("referred", organisation=referral["organisation_name"]), None))
    for event in db.query(
        "select e.*, u.username from referral_events e left join users u on u.id = e.recorded_by "
        "join referrals r on r.id = e.referral_id where r.screening_id = ?",
        [screening["id"]],
    ):
        text = _fmt("followup", organisation=names.get(event["referral_id"], ""), status=statuses[event["status"]])
        items.append((event["at"], text, event["username"]))
    for export in exports:
        items.append(
            (export["created_at"], _fmt("printed", document=documents[export["document"]]), export["username"])
        )
    for note in note_rows:
        items.append((note["at"], EVENTS["note"], note["username"]))
    return sorted(items, key=lambda item: item[0])


def _fmt(key, **values):
    return str(EVENTS[key]) % values
