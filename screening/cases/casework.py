"""Casework on a case: the case file a caseworker opens, notes, links between screenings of one person, the timeline.

Opening the case file is a view of identifying data (notes, reasons, the
officer's concern) and is audited; so is every note and link. Notes are free
text, encrypted like every other identifying field. The timeline is built from
what the records already hold (the case, its referrals and their follow-up,
documents printed, notes), never kept twice. Links show only the screenings the
reader may see.
"""

from screening.access import can_see
from screening.accounts import store
from screening.cases import records
from screening.db.connection import now, write_transaction
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection import audit, crypto
from screening.referral import documents, followup, referrals

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


def case_file(db, actor, screening):
    """Return what the case page shows beside the result (referrals, documents, notes, links, timeline); audited."""
    with write_transaction(db):
        referral_rows = [
            {
                **r,
                "events": followup.events(db, r["id"]),
                "next": followup.allowed(r["status"]),
                "overdue": followup.is_overdue(r),
            }
            for r in referrals.for_case(db, screening["id"])
        ]
        exports = documents.printed(db, screening["id"])
        note_rows = notes(db, screening["id"])
        earlier, later = linked(db, actor.account, screening)
        audit.record(db, "view_case", actor, reference=screening["reference"])
    return {
        "referrals": referral_rows,
        "exports": exports,
        "notes": note_rows,
        "earlier": earlier,
        "later": later,
        "timeline": timeline(screening, referral_rows, exports, note_rows),
    }


def add_note(db, actor, screening, text):
    """Add a caseworker's note to a case, with its audit entry."""
    with write_transaction(db):
        row = {"screening_id": screening["id"], "user_id": actor.id, "at": now(), "text": crypto.encrypt(text)}
        db["notes"].insert(row)
        audit.record(db, "note", actor, reference=screening["reference"])


def notes(db, screening_id):
    """Return a case's notes, newest first, decrypted, with who wrote them."""
    rows = list(db.query("select * from notes where screening_id = ? order by id desc", [screening_id]))
    names = store.usernames(db, [row["user_id"] for row in rows])
    return [{**row, "text": crypto.decrypt(row["text"]), "username": names.get(row["user_id"])} for row in rows]


def link(db, actor, screening, earlier):
    """Record that a screening is of the same person as an earlier one, with its audit entry."""
    with write_transaction(db):
        db.execute("update screenings set linked_to = ? where id = ?", [earlier["id"], screening["id"]])
        detail = {"earlier": earlier["reference"]}
        audit.record(db, "link", actor, reference=screening["reference"], detail=detail)


def linked(db, user, screening):
    """Return (the earlier screening's reference or None, references of later ones): only those ``user`` sees."""
    earlier = None
    if screening.get("linked_to"):
        row = next(db.query("select * from screenings where id = ?", [screening["linked_to"]]), None)
        earlier = row["reference"] if can_see(user, row) else None
    later = [
        row["reference"]
        for row in db.query("select * from screenings where linked_to = ? order by id", [screening["id"]])
        if can_see(user, row)
    ]
    return earlier, later


def timeline(screening, referral_rows, exports, note_rows):
    """Return the case's history as (timestamp, text, who) tuples, oldest first."""
    items = [(screening["created_at"], EVENTS["created"], None)]
    if screening["ended_at"] and screening["status"] in (records.COMPLETED, records.STOPPED, records.REFUSED):
        items.append((screening["ended_at"], EVENTS[screening["status"]], None))
    for referral in referral_rows:
        items.append((referral["created_at"], _fmt("referred", organisation=referral["organisation_name"]), None))
        for event in referral["events"]:
            status = followup.STATUSES[event["status"]]
            text = _fmt("followup", organisation=referral["organisation_name"], status=status)
            items.append((event["at"], text, event["username"]))
    for export in exports:
        document = documents.DOCUMENTS[export["document"]]
        items.append((export["created_at"], _fmt("printed", document=document), export["username"]))
    for note in note_rows:
        items.append((note["at"], EVENTS["note"], note["username"]))
    return sorted(items, key=lambda item: item[0])


def _fmt(key, **values):
    """Return one timeline text with its values (organisation names typed by an administrator) as plain text."""
    return str(EVENTS[key]) % {name: str(value) for name, value in values.items()}
