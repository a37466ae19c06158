"""Every change and every view of identifying data is in the audit trail: each POST route, the reading pages, the shell.

The table POSTS names, for every POST route of the URL map, a request that does
what the route is for and the entry it must leave; a new POST route without a
row fails the first test.
"""

import io
import json

import pytest
from cryptography.hazmat.primitives import serialization

from screening.accounts import store
from screening.audio import recordings
from screening.cases import records
from screening.instrument import questionnaire
from screening.protection import certificates
from screening.protection.audit import Actor
from screening.referral import acknowledgements, documents, person, referrals
from tests.audio_samples import ogg_opus
from tests.conftest import IN_DANGER, PASSWORD, Interview, actor, add_organisation, create_user, refer

NEW_PASSWORD = "violet kayak harbour lantern"
SAFE = {"danger_now": "no", "controller_nearby": "no", "medical_now": "no", "self_harm": "no"}
CSV = "name,kind,print_language\nEXAMPLE - Imported,shelter,en\n"
# A screening collected offline, as ODK sends it (the fields the import needs; groups do not matter).
SUBMISSION = (
    f'<data id="trafficking_screening" version="{questionnaire.VERSION}"><post>Poipet</post><consent>yes</consent>'
    f"<bank_version>{questionnaire.VERSION}</bank_version><g><age>30</age><possibly_minor>no</possibly_minor></g>"
    "<meta><instanceID>uuid:0e4b1c6a-5d0a-4c55-9a52-8a3e2f7d9b10</instanceID></meta></data>"
)

# endpoint -> (account, method, path, data, the action it must record). {c} completed case, {d} draft with
# consent, {n} new draft without consent, {s} stopped case, {r} referral of {c}, {o} organisation, {t} target account,
# {v} the referral of {c} received back from its own signed document, {cert} another installation's certificate.
POSTS = {
    "auth.login": (None, "/login", {"username": "officer", "password": PASSWORD}, "login"),
    "auth.reauth": ("officer", "/reauth", {"password": PASSWORD}, "reauth"),
    "auth.logout": ("officer", "/logout", {}, "logout"),
    "auth.change_password": (
        "officer",
        "/account/password",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        "password_change",
    ),
    "admin.new_account": ("admin", "/admin/accounts/new", {"username": "nadia", "role": "officer"}, "account_create"),
    "admin.edit_account": (
        "admin",
        "/admin/accounts/{t}",
        {"username": "target", "role": "supervisor", "active": "y"},
        "account_change",
    ),
    "admin.unlock": ("admin", "/admin/accounts/{t}/unlock", {}, "account_change"),
    "admin.reset_password": ("admin", "/admin/accounts/{t}/reset", {}, "password_change"),
    "cases.new": (
        "officer",
        "/new",
        {"post": "Poipet", "interview_lang": "km", "interpreter": "none", "private": "y"},
        "case_create",
    ),
    "interview.consent": ("officer", "/s/{n}/consent", {"consent": "yes"}, "consent"),
    "interview.page": ("officer", "/s/{d}/q/safety", SAFE, "edit_answers"),
    "interview.stop": ("officer", "/s/{d}/stop", {"reason": "distress"}, "stop"),
    "interview.resume": ("officer", "/s/{s}/resume", {}, "reopen"),
    "casework.add_note": ("officer", "/s/{c}/notes", {"text": "Asked for a female interpreter."}, "note"),
    "casework.link": ("officer", "/s/{c}/link", {"earlier": "{s}"}, "link"),
    "casework.record_followup": ("officer", "/s/{c}/referrals/{r}/followup", {"status": "received"}, "followup"),
    "casework.erase": ("officer", "/s/{c}/erase", {"confirm": "y"}, "erase"),
    "directory.new": (
        "admin",
        "/directory/new",
        {"name": "EXAMPLE - Clinic", "kind": "medical", "print_lang": "en", "active": "y"},
        "directory_change",
    ),
    "directory.edit": (
        "admin",
        "/directory/{o}",
        {"name": "EXAMPLE - Shelter", "kind": "shelter", "print_lang": "th", "active": "y"},
        "directory_change",
    ),
    "directory.import_file": ("admin", "/directory/import", {"file": "csv"}, "import_csv"),
    "referrals.person": ("officer", "/s/{c}/person", {"name": "Sokha"}, "edit_person"),
    "referrals.refer": (
        "officer",
        "/s/{c}/refer",
        {"organisation": "{o}", "priority": "normal", "consent": "yes", "items": "answers"},
        "refer",
    ),
    "received.import_file": ("admin", "/received/import", {"file": "pdf"}, "import_referral"),
    "collected.index": ("supervisor", "/collected/", {"files": "submission"}, "case_import"),
    "received.accept": ("admin", "/received/trust", {"certificate": "{cert}"}, "trust_installation"),
    "received.record_followup": ("admin", "/received/{v}/followup", {"status": "received"}, "received_followup"),
    "received.erase": ("admin", "/received/{v}/erase", {"confirm": "y"}, "erase"),
    "referrals.account": (
        "officer",
        "/account",
        {"full_name": "Somchai P.", "agency": "Border Police"},
        "account_change",
    ),
    "handover.start": ("officer", "/s/{d}/hand-over", {"code": "2468"}, "handover"),
    # "officer+handover": the officer's session, handed over for {d} with the code 2468.
    "handover.turn": ("officer+handover", "/turn", {"question": "danger_now", "answer": "no"}, "person_answers"),
    "handover.give_back": ("officer+handover", "/turn/back", {"code": "2468"}, "handover_back"),
    "audio.text": ("voice", "/audio/km/{k}", {"clip": "ogg"}, "recording_add"),
    "audio.decide": (
        "admin",
        "/audio/km/{k}/decide",
        {"recording": "{rec}", "decision": "approve"},
        "recording_decide",
    ),
}
# Pages that show identifying data or change something on a GET: each leaves its entry too.
GETS = [
    ("officer", "/s/{c}", "view_case"),
    ("officer", "/s/{c}/person", "view_person"),
    ("officer", "/s/{c}/referrals/{r}.pdf", "export_pdf"),
    ("officer", "/s/{c}/referrals/{r}/info.pdf", "export_pdf"),
    ("officer", "/statistics/tables.csv", "export_stats"),
    ("officer", "/statistics/cases.csv", "export_stats"),
    ("officer", "/statistics/cases.json", "export_stats"),
    ("officer", "/exit", "logout"),
    ("officer", "/?lang=th", "account_change"),
    ("admin", "/directory/export.csv", "export_csv"),
    ("admin", "/received/{v}", "view_received"),
]


@pytest.fixture
def world(app, db, users):
    """Return the ids the paths name: cases in every state, a referral, an organisation, a target account."""
    officer = actor(db)
    create_user(db, "target", PASSWORD, "officer")
    organisation = db["organisations"].get(add_organisation(db))
    completed = records.create(db, officer, "Poipet", "en", "none")
    records.record_consent(db, officer, completed, True)
    records.save_answers(
        db, officer, completed, "all", {"age": 27, **{k: v for k, v in IN_DANGER.items() if k != "age"}}
    )
    records.end(db, officer, completed, records.COMPLETED)
    completed = records.find(db, completed["reference"])
    person.save(db, officer, completed, name="Sokha", contact="", date_of_birth="")
    referral = refer(db, completed, organisation, users["officer"])
    draft = records.create(db, officer, "Poipet", "en", "none")
    records.record_consent(db, officer, draft, True)
    stopped = records.create(db, officer, "Poipet", "en", "none")
    records.record_consent(db, officer, stopped, True)
    records.end(db, officer, stopped, records.STOPPED, stop_reason="distress")
    fresh = records.create(db, officer, "Poipet", "en", "none")
    with app.test_request_context():
        document = documents.build(db, Actor.shell(), completed, referral, "referral")[1]
        imported = acknowledgements.import_file(db, Actor.shell(), None, document, "")
        another = records.create(db, officer, "Poipet", "en", "none")
        records.record_consent(db, officer, another, True)
        records.end(db, officer, another, records.COMPLETED)
        another = records.find(db, another["reference"])
        second = refer(db, another, organisation, users["officer"])
        to_import = documents.build(db, Actor.shell(), another, second, "referral")[1]
    other = certificates.new_material("EXAMPLE - Another installation").certificate
    voice = create_user(db, "voice", PASSWORD, "voice")
    text = recordings.texts()[0]
    with app.test_request_context():
        waiting = recordings.add(db, Actor.of(store.get(db, voice)), "km", text, ogg_opus())
    return {
        "k": recordings.key(text),
        "rec": waiting,
        "pdf": to_import,
        "v": imported.key,
        "cert": other.public_bytes(serialization.Encoding.PEM).decode(),
        "c": completed["reference"],
        "d": draft["reference"],
        "s": stopped["reference"],
        "n": fresh["reference"],
        "r": referral["id"],
        "o": organisation["id"],
        "t": store.id_of(db, "target"),
    }


def entries(db):
    return list(db.query("select id, action, username, reference, detail from audit order by id"))


def client_for(app, name, world=None):
    driver = Interview(app.test_client())
    if name:
        assert driver.login(name.split("+")[0]).status_code == 302
    if name and name.endswith("+handover"):
        assert driver.client.post(f"/s/{world['d']}/hand-over", data={"code": "2468"}).status_code == 303
    return driver.client


def test_every_post_route_has_a_row_in_the_table(app):
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posts == set(POSTS) | {"auth.setup"}  # the setup link has its own test below


@pytest.mark.parametrize("endpoint", sorted(POSTS))
def test_every_post_route_records_what_it_did_in_the_audit_trail(app, db, world, endpoint):
    name, path, data, action = POSTS[endpoint]
    client = client_for(app, name, world)
    before = len(entries(db))
    form = {key: value.format(**world) for key, value in data.items()}
    if form.get("clip") == "ogg":
        form["clip"] = (io.BytesIO(ogg_opus(seed=2)), "clip.ogg")
    if form.get("file") == "csv":
        form["file"] = (io.BytesIO(CSV.encode()), "directory.csv")
    elif form.get("file") == "pdf":
        form["file"] = (io.BytesIO(world["pdf"]), "referral.pdf")
    elif form.get("files") == "submission":
        form["files"] = [(io.BytesIO(SUBMISSION.encode()), "submission.xml")]
    response = client.post(path.format(**world), data=form, content_type="multipart/form-data")
    assert response.status_code in (302, 303) or (
        endpoint.endswith(("new_account", "reset_password")) and response.status_code == 200
    )
    new = entries(db)[before:]
    assert action in [entry["action"] for entry in new], (endpoint, response.get_data(as_text=True)[:1500])


@pytest.mark.parametrize(("name", "path", "action"), GETS)
def test_every_page_that_shows_identifying_data_or_changes_something_is_audited(app, db, world, name, path, action):
    client = client_for(app, name)
    before = len(entries(db))
    response = client.get(path.format(**world))
    assert response.status_code in (200, 302)
    assert action in [entry["action"] for entry in entries(db)[before:]]


def test_the_setup_link_records_the_first_account(tmp_path, capsys):
    from screening import create_app
    from screening.accounts.setup import print_link_if_needed
    from screening.db.connection import connect

    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True, "WTF_CSRF_ENABLED": False})
    print_link_if_needed(app)
    token = capsys.readouterr().err.split("/setup/")[1].split()[0]
    password = "a long admin password"
    data = {"username": "first.admin", "password": password, "confirm": password}
    assert app.test_client().post(f"/setup/{token}", data=data).status_code == 302
    db = connect(app.config["SCREENING_DATABASE"])
    assert [e["action"] for e in entries(db)] == ["account_create", "login"]
    db.close()


def test_the_persons_details_are_audited_when_shown_and_when_changed_never_what_they_say(app, client, db, world):
    Interview(client).login()
    client.get(f"/s/{world['c']}/person")
    client.post(f"/s/{world['c']}/person", data={"name": "Chan Dara", "contact": "+855 12 000 000"})
    rows = [e for e in entries(db) if e["action"] in ("view_person", "edit_person")]
    assert [(e["action"], e["reference"], e["username"]) for e in rows[-2:]] == [
        ("view_person", world["c"], "officer"),
        ("edit_person", world["c"], "officer"),
    ]
    assert json.loads(rows[-1]["detail"]) == {"fields": ["contact", "name"]}
    assert "Chan Dara" not in json.dumps(entries(db))


def test_printing_a_referral_from_the_shell_is_audited_as_on_the_web(app, runner, db, world, tmp_path):
    result = runner.invoke(args=["referral", "pdf", world["c"], "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 0, result.output
    entry = entries(db)[-1]
    assert (entry["action"], entry["reference"]) == ("export_pdf", world["c"])
    assert entry["username"].startswith("shell:")
    assert json.loads(entry["detail"]) == {"document": "referral", "lang": "km", "referral": world["r"], "via": "cli"}


def test_creating_an_account_from_the_shell_is_audited(runner, db, users):
    result = runner.invoke(args=["users", "create", "somchai", "--role", "officer", "--organisation", "Border Police"])
    assert result.exit_code == 0, result.output
    entry = entries(db)[-1]
    assert entry["action"] == "account_create"
    assert entry["username"].startswith("shell:")
    assert json.loads(entry["detail"]) == {"account": "somchai", "role": "officer", "organisation": "Border Police"}


def test_opening_and_reopening_a_screening_are_audited(app, client, db, world):
    Interview(client).login()
    client.post(f"/s/{world['s']}/resume")
    client.post("/new", data={"post": "Poipet", "interview_lang": "en", "interpreter": "none", "private": "y"})
    actions = [(e["action"], e["reference"]) for e in entries(db)[-2:]]
    assert actions[0] == ("reopen", world["s"])
    assert actions[1][0] == "case_create"


def test_a_change_and_its_audit_entry_commit_together_or_not_at_all(app, db, world, monkeypatch):
    from screening.protection import audit

    def broken(*_args, **_kwargs):
        raise RuntimeError("the trail is full")

    monkeypatch.setattr(audit, "record", broken)
    screening = records.find(db, world["c"])
    with pytest.raises(RuntimeError):
        referrals.create(
            db,
            Actor.of(store.by_username(db, "officer")),
            screening,
            db["organisations"].get(world["o"]),
            consented=True,
            items=[],
            priority="normal",
            services=[],
            reason=None,
        )
    assert len(referrals.for_case(db, screening["id"])) == 1
