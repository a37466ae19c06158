"""The directory of services: kinds of organisation, which kinds a result calls for, and the organisations.

The directory ships empty: every post refers to its own local services, and an
administrator fills it in on the directory pages or from a CSV file
(directory_csv.py). Kinds are stable values stored in the database and in CSV
files; their labels are what people read.
"""

import unicodedata

from screening.db.connection import now, write_transaction
from screening.i18n.languages import INTERVIEW_NAMES
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection import audit

# Kinds of receiving organisation: stable value -> label.
KINDS = {
    "shelter": _l("Shelter"),
    "medical": _l("Medical care"),
    "psychosocial": _l("Psychosocial support"),
    "legal_aid": _l("Legal aid"),
    "child_protection": _l("Child protection"),
    "anti_trafficking_police": _l("Anti-trafficking police"),
    "labour_office": _l("Labour office"),
    "migrant_support": _l("Migrant support"),
    "refugee_agency": _l("Refugee agency"),
    "consular": _l("Consular services"),
    "hotline": _l("Hotline"),
}

# A line of help beside each kind, for the administrator choosing one.
KIND_HELP = {
    "shelter": _l("Safe accommodation, for a night or for longer."),
    "medical": _l("A clinic or hospital that treats survivors, including sexual health."),
    "psychosocial": _l("Counselling and mental-health care, including for trauma."),
    "legal_aid": _l("Lawyers and paralegals: rights, compensation, immigration status, court cases."),
    "child_protection": _l("The authority responsible for children at risk or without a parent's care."),
    "anti_trafficking_police": _l("The specialist police or law-enforcement unit that investigates trafficking."),
    "labour_office": _l("Labour inspection and complaints about wages, hours and working conditions."),
    "migrant_support": _l("Help for migrants with documents, legal status, return and reintegration."),
    "refugee_agency": _l("UNHCR or the national asylum authority, for people afraid to go home."),
    "consular": _l("An embassy or consulate of the person's country: documents, protection, return."),
    "hotline": _l("A telephone or online help line for advice and emergencies."),
}

# The assessment's kinds of service (vocabulary.SERVICES) and the kind of
# organisation that provides each.
SERVICE_KINDS = {
    "child_protection": "child_protection",
    "medical": "medical",
    "psychosocial": "psychosocial",
    "shelter": "shelter",
    "asylum": "refugee_agency",
    "consular": "consular",
    "migrant_assistance": "migrant_support",
    "labour_rights": "labour_office",
}

REFERRED_OUTCOMES = ("presumed", "possible")

# What the administrator may type, in characters.
MAX_LENGTHS = {
    "name": 200,
    "area": 200,
    "languages": 200,
    "phone": 100,
    "email": 254,
    "address": 1000,
    "contact_person": 200,
    "notes": 2000,
}
# Deliberately loose: one @, something before it and a dot after it. The
# address is read by a person, not used to send mail.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
LANGUAGE_SEPARATORS = (",", "，", "、", ";", " ")
FIELDS = (
    "name",
    "kind",
    "area",
    "languages",
    "phone",
    "email",
    "address",
    "contact_person",
    "print_lang",
    "notes",
    "active",
)
# An organisation may speak any language of the interview, not only the interface's.
_CODES = {code.casefold().replace("-", "_"): code for code in INTERVIEW_NAMES}


def suggested_kinds(assessment):
    """Return the kinds of organisation to refer to, most pressing first, without repeats.

    A child always goes to child protection first; a presumed or possible victim
    to the anti-trafficking police; then the other protection needs, in the
    order the assessment lists them.
    """
    kinds = []
    if assessment.get("child"):
        kinds.append("child_protection")
    if assessment.get("outcome") in REFERRED_OUTCOMES:
        kinds.append("anti_trafficking_police")
    for service in assessment.get("other_needs", ()):
        # An assessment stored by an older version may name a service since retired: skip it.
        kind = SERVICE_KINDS.get(service)
        if kind and kind not in kinds:
            kinds.append(kind)
    return kinds


def kind_label(kind):
    """Return the label of a kind, or the stored value itself if the kind is unknown."""
    return KINDS.get(kind, kind)


def canonical_language(code):
    """Return the locale code for a typed one (TH, zh-hans), or None if the app does not know it."""
    return _CODES.get(code.strip().casefold().replace("-", "_"))


def parse_languages(text):
    """Split typed language codes; return (known codes in canonical form, without repeats, unknown ones)."""
    for separator in LANGUAGE_SEPARATORS[1:]:
        text = text.replace(separator, LANGUAGE_SEPARATORS[0])
    known, unknown = [], []
    for typed in filter(None, (part.strip() for part in text.split(LANGUAGE_SEPARATORS[0]))):
        code = canonical_language(typed)
        if code is None:
            unknown.append(typed)
        elif code not in known:
            known.append(code)
    return known, unknown


def name_key(name):
    """Return the form of a name used to find duplicates: case and Unicode composition do not count."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def all_organisations(db):
    """Return every organisation, active or not, ordered by name."""
    return list(db.query("select * from organisations order by name collate nocase, name"))


def active_organisations(db):
    """Return the organisations that take referrals, ordered by name."""
    return list(db.query("select * from organisations where active = 1 order by name collate nocase, name"))


def get_organisation(db, organisation_id):
    """Return one organisation, or None."""
    rows = list(db.query("select * from organisations where id = ?", [organisation_id]))
    return rows[0] if rows else None


def names_in_use(db, except_id=None):
    """Return the name keys of the organisations other than ``except_id``, each with its id."""
    rows = db.query("select id, name from organisations")
    return {name_key(row["name"]): row["id"] for row in rows if row["id"] != except_id}


def record(values):
    """Return a database row from cleaned values: empty text as NULL, languages normalised, active as 0/1."""
    row = {field: (values[field] or None) for field in FIELDS if field in values and field != "active"}
    if row.get("languages"):
        row["languages"] = ",".join(parse_languages(row["languages"])[0]) or None
    if "active" in values:
        row["active"] = int(bool(values["active"]))
    return row


def save(db, values, organisation_id=None):
    """Add an organisation, or update one, from cleaned values; return its id (the caller audits)."""
    row = record(values)
    stamp = now()
    if organisation_id is None:
        return db["organisations"].insert({"active": 1, **row, "created_at": stamp, "updated_at": stamp}).last_pk
    db["organisations"].update(organisation_id, {**row, "updated_at": stamp})
    return organisation_id


def change(db, actor, values, organisation_id=None):
    """Add or update one organisation from the directory's form, with its audit entry; return its id."""
    with write_transaction(db):
        saved = save(db, values, organisation_id)
        audit.record(db, "directory_change", actor, detail={"organisation": saved, "new": organisation_id is None})
    return saved
