"""The referrals that printed documents are checked on: the cases their receivers meet.

Six cases, each made through the interview as an officer would and referred:

- ``urgent``: in danger now, agreed to be referred and to share everything;
- ``urgent_no_consent``: in danger now, did not agree; referred under the urgent
  exception with the officer's reason, sharing nothing but the need;
- ``child``: a 15-year-old referred to child protection in their best interests;
- ``everything``: an adult who shares every item, with a long officer's note;
- ``nothing``: an adult who agreed to be referred but to share no data;
- ``scripts``: a name written in six scripts, and a Chinese nationality.
"""

import json

from screening.cases import records as cases
from screening.referral import person
from tests.conftest import IN_DANGER, SCAM_COMPOUND, Interview, actor, add_organisation, refer

# 喆 is outside GB 2312: it comes from the full Chinese face, the fallback font.
SIX_SCRIPTS = "Somchai สมชาย ສົມຊາຍ សុខា မောင်မောင် 王小喆"
LONG_NOTE = (
    "Met at the bus station at night with two other young women; she says an agent kept her passport "
    "and that she owes him a debt she cannot repay. She asked twice whether the police will send her home. "
) * 2

CASES = {
    "urgent": {
        "answers": {**IN_DANGER},
        "details": {"name": "Nguyễn Thị Demo", "contact": "+84 90 000 0000", "date_of_birth": "1999-02-03"},
        "referral": {"priority": "emergency", "services": ["shelter", "medical"]},
    },
    "urgent_no_consent": {
        "answers": {**IN_DANGER},
        "details": {"name": "Not To Be Printed", "contact": "+66 00 000 0000"},
        "referral": {
            "priority": "emergency",
            "services": ["shelter"],
            "items": [],
            "consented": False,
            "reason": "He is bleeding and the men who held him are looking for him.",
        },
    },
    "child": {
        "answers": {"age": "15", "act": "yes", "forms": ["sexual"], "accompanied": "yes", "nationality": "LAO"},
        "details": {"name": "ນາງ ສົມສີ", "date_of_birth": "2011-05-01"},
        "organisation": {"kind": "child_protection", "name": "EXAMPLE - Child protection"},
        "referral": {
            "priority": "urgent",
            "services": ["shelter", "psychosocial"],
            "items": ["name", "date_of_birth", "nationality", "answers"],
            "consented": False,
        },
    },
    "everything": {
        "answers": {
            **SCAM_COMPOUND,
            "channel": ["facebook", "telegram", "known_person"],
            "sex": "male",
            "nationality": "VNM",
            "officer_concern": "yes",
            "officer_concern_reason": LONG_NOTE,
        },
        "details": {"name": "Trần Văn Demo", "contact": "Facebook: tran.demo", "date_of_birth": "1994-12-30"},
        "referral": {"priority": "urgent", "services": ["shelter", "medical", "labour_rights", "consular"]},
    },
    "nothing": {
        "answers": {**SCAM_COMPOUND},
        "details": {"name": "Hidden Name", "contact": "+855 00 000 000"},
        "referral": {"priority": "normal", "services": [], "items": []},
    },
    "scripts": {
        "answers": {**SCAM_COMPOUND, "nationality": "CHN"},
        "details": {"name": SIX_SCRIPTS, "contact": "WeChat: wxm", "date_of_birth": "2000-01-01"},
        "referral": {"priority": "urgent", "services": ["medical"]},
    },
}


def make(client, db, users, key, interview_lang="en", print_lang="km"):
    """Run case ``key`` through the interview, refer it, and return (screening, referral, person, answers, officer)."""
    spec = CASES[key]
    interview = Interview(client)
    interview.login()
    interview.start(interview_lang=interview_lang)
    interview.run(spec["answers"])
    db.execute("update users set full_name = 'Officer Demo', agency = 'Demo Police' where username = 'officer'")
    screening = cases.find(db, interview.reference)
    details = {"name": None, "contact": None, "date_of_birth": None, **spec["details"]}
    person.save(db, actor(db), screening, **details)
    organisation = {"name": f"EXAMPLE - Shelter {screening['reference']}", **spec.get("organisation", {})}
    organisation["name"] += f" {screening['reference']}" if "organisation" in spec else ""
    org_id = add_organisation(db, print_lang=print_lang, **organisation)
    options = {**spec["referral"]}
    if options.get("consented") is False:
        options.setdefault("reason", None)
    referral = refer(db, screening, db["organisations"].get(org_id), users["officer"], **options)
    officer = next(db.query("select * from users where username = 'officer'"))
    assert json.loads(screening["assessment"]) is not None
    return screening, referral, person.stored(db, screening["id"]), cases.answers(db, screening["id"]), officer
