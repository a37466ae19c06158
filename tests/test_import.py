"""Referrals that travel: the receiver imports a signed referral once, trusts its sender once, and acknowledges it."""

import io
import json
import re

import pytest

from screening import create_app
from screening.cases import records as cases
from screening.db.connection import connect
from screening.protection import certificates
from screening.protection.audit import Actor
from screening.referral import documents, pdf, person, referrals, signing
from tests.conftest import IN_DANGER, PASSWORD, Interview, actor, add_organisation, create_user, refer

NAME = "Sokha Receivedperson"
CONTACT = "+855 12 111 222"
ORGANISATION = "EXAMPLE - Shelter"
RECEIVER_ORG = "Shelter Network"


@pytest.fixture
def sent(app, db, interview, users):
    """Return (screening, referral) of a completed case referred with consent to share the name and nationality."""
    interview.start()
    interview.run(IN_DANGER)
    screening = cases.find(db, interview.reference)
    person.save(db, actor(db), screening, name=NAME, contact=CONTACT, date_of_birth="1999-02-03")
    organisation = db["organisations"].get(add_organisation(db, name=ORGANISATION))
    referral = refer(
        db, screening, organisation, users["officer"], items=["name", "nationality"], priority="urgent", services=[]
    )
    return screening, referral


def referral_pdf(app, db, sent, document="referral"):
    with app.test_request_context():
        return documents.build(db, Actor.shell(), *sent, document)[1]


@pytest.fixture
def receiver(tmp_path):
    """Return (app, db) of another installation, with a caseworker and an administrator of its organisation."""
    other = create_app({"SCREENING_DATA_DIR": tmp_path / "receiver", "TESTING": True, "WTF_CSRF_ENABLED": False})
    other_db = connect(other.config["SCREENING_DATABASE"])
    create_user(other_db, "caseworker", PASSWORD, "supervisor", RECEIVER_ORG)
    create_user(other_db, "boss", PASSWORD, "admin", RECEIVER_ORG)
    create_user(other_db, "stranger", PASSWORD, "supervisor", "Another NGO")
    create_user(other_db, "frontline", PASSWORD, "officer", RECEIVER_ORG)
    yield other, other_db
    other_db.close()


def logged_in(app, username):
    driver = Interview(app.test_client())
    assert driver.login(username).status_code == 302
    return driver.client


def upload(client, data, name="referral.pdf"):
    return client.post("/received/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def trust_from_shell(app, path):
    result = app.test_cli_runner().invoke(args=["referral", "trust", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    return result


def test_a_referral_from_an_unknown_installation_is_shown_with_its_fingerprint_and_imported_once_trusted(
    app, db, sent, receiver, tmp_path
):
    other, other_db = receiver
    path = tmp_path / "referral.pdf"
    path.write_bytes(referral_pdf(app, db, sent))
    runner = other.test_cli_runner()
    refused = runner.invoke(args=["referral", "import", str(path), "--organisation", RECEIVER_ORG])
    assert refused.exit_code == 1
    with app.app_context():
        fingerprint = app.extensions[certificates.EXTENSION].material().fingerprint
    assert certificates.spaced(fingerprint) in refused.output
    assert "not trusted yet" in refused.output
    assert other_db["received_cases"].count == 0
    trust_from_shell(other, path)
    assert next(other_db.query("select fingerprint from trusted_installations"))["fingerprint"] == fingerprint
    first = runner.invoke(args=["referral", "import", str(path), "--organisation", RECEIVER_ORG])
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=["referral", "import", str(path), "--organisation", RECEIVER_ORG])
    assert again.exit_code == 0
    assert "imported before" in again.output
    assert other_db["received_cases"].count == 1
    row = next(other_db.query("select * from received_cases"))
    assert (row["priority"], row["status"], row["organisation"]) == ("urgent", "sent", RECEIVER_ORG)
    assert row["sender_reference"] == sent[0]["reference"]
    assert row["acknowledge_by"] == referrals.deadline(sent[1])
    actions = [r["action"] for r in other_db.query("select action from audit")]
    assert actions.count("import_referral") == 1
    assert "trust_installation" in actions


def test_the_received_case_holds_exactly_what_the_person_agreed_to_share_and_it_is_encrypted(
    app, db, sent, receiver, tmp_path
):
    other, other_db = receiver
    path = tmp_path / "referral.pdf"
    path.write_bytes(referral_pdf(app, db, sent))
    trust_from_shell(other, path)
    client = logged_in(other, "caseworker")
    response = upload(client, path.read_bytes())
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert NAME in page
    assert "Cambodia" in page  # the nationality shared, in the reader's language
    assert CONTACT not in page
    assert "Not shared" in page
    assert "Urgent: within 72 hours" in page
    stored = next(other_db.query("select contents from received_cases"))["contents"]
    assert stored.startswith("enc1:")
    raw = (other.config["SCREENING_DATABASE"]).read_bytes()
    assert NAME.encode() not in raw
    assert "view_received" in [r["action"] for r in other_db.query("select action from audit")]


def test_only_an_administrator_trusts_an_installation_on_the_web_and_it_is_recorded(app, db, sent, receiver):
    other, other_db = receiver
    data = referral_pdf(app, db, sent)
    caseworker = upload(logged_in(other, "caseworker"), data).get_data(as_text=True)
    assert "not trusted yet" in caseworker
    assert "Only an administrator can trust" in caseworker
    assert 'action="/received/trust"' not in caseworker
    admin = logged_in(other, "boss")
    page = upload(admin, data).get_data(as_text=True)
    with app.app_context():
        fingerprint = app.extensions[certificates.EXTENSION].material().fingerprint
    assert certificates.spaced(fingerprint) in page
    assert other_db["received_cases"].count == 0
    report = signing.verify(data)
    assert admin.post("/received/trust", data={"certificate": report.certificate_pem}).status_code == 302
    assert logged_in(other, "caseworker").post("/received/trust", data={"certificate": "x"}).status_code == 404
    row = next(other_db.query("select * from trusted_installations"))
    assert (row["fingerprint"], row["name"], row["accepted_by_name"]) == (fingerprint, "Screening installation", "boss")
    assert "boss" in admin.get("/received/installations").get_data(as_text=True)
    assert upload(admin, data).status_code == 302
    assert other_db["received_cases"].count == 1


def signed_with_attachment(app, attachment):
    """Return a PDF signed by ``app`` with ``attachment`` as its referral.json."""
    with app.test_request_context():
        return signing.sign(pdf.render("<p>Not a referral</p>", "a4", attachment))


def changed_byte(data):
    changed = bytearray(data)
    changed[len(data) // 3] ^= 0x01
    return bytes(changed)


@pytest.mark.parametrize(
    ("what", "message"),
    [
        ("text", "not a PDF document"),
        ("unsigned", "not signed"),
        ("one byte changed", "changed after it was signed"),
        ("bytes added", "added to this document after it was signed"),
        ("no referral attached", "carries no referral of this app"),
        ("another version", "another version of the app"),
        ("an incomplete referral", "incomplete or damaged"),
        ("a referral of the wrong shape", "incomplete or damaged"),
    ],
)
def test_a_damaged_unsigned_or_foreign_file_gets_a_clear_message_and_changes_nothing(
    app, db, sent, receiver, what, message
):
    other, other_db = receiver
    good = referral_pdf(app, db, sent)
    client = logged_in(other, "boss")
    assert client.post("/received/trust", data={"certificate": signing.verify(good).certificate_pem}).status_code == 302
    with app.test_request_context():
        unsigned = pdf.render("<p>Unsigned</p>", "a4", {"format": "trafficking-screening-referral/1"})
    files = {
        "text": b"name,kind\nA,shelter\n",
        "unsigned": unsigned,
        "one byte changed": changed_byte(good),
        "bytes added": good + b"\n% appended\n",
        "no referral attached": referral_pdf(app, db, sent, "info"),
        "another version": signed_with_attachment(app, {"format": "trafficking-screening-referral/2"}),
        "an incomplete referral": signed_with_attachment(app, {"format": "trafficking-screening-referral/1"}),
        "a referral of the wrong shape": signed_with_attachment(
            app, {**signing.verify(good).attachment, "person": ["a list", "not a record"]}
        ),
    }
    before = other_db["audit"].count
    response = upload(client, files[what])
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert "Error:" in page
    assert other_db["received_cases"].count == 0
    assert {r["action"] for r in other_db.query("select action from audit where id > ?", [before])} <= {
        "check_document"
    }


def test_received_cases_are_seen_only_by_the_caseworkers_of_the_organisation_that_imported_them(
    app, db, sent, receiver, tmp_path
):
    other, other_db = receiver
    path = tmp_path / "referral.pdf"
    path.write_bytes(referral_pdf(app, db, sent))
    trust_from_shell(other, path)
    response = upload(logged_in(other, "caseworker"), path.read_bytes())
    case_url = response.headers["Location"]
    assert logged_in(other, "boss").get(case_url).status_code == 200
    assert sent[0]["reference"] in logged_in(other, "boss").get("/received/").get_data(as_text=True)
    assert re.fullmatch(r"/received/[A-Za-z0-9_-]{22}", case_url), "a random address, not a count"
    assert logged_in(other, "boss").get("/received/1").status_code == 404
    stranger = logged_in(other, "stranger")
    assert stranger.get(case_url).status_code == 404
    assert sent[0]["reference"] not in stranger.get("/received/").get_data(as_text=True)
    assert stranger.post(f"{case_url}/followup", data={"status": "received"}).status_code == 404
    frontline = logged_in(other, "frontline")
    for url in (case_url, "/received/", "/received/import", f"{case_url}/acknowledgement.pdf"):
        assert frontline.get(url).status_code == 404
    assert other.test_client().get(case_url).headers["Location"].startswith("/login")
    assert next(other_db.query("select status from received_cases"))["status"] == "sent"


def acknowledged(app, db, sent, receiver, tmp_path, *steps):
    """Import the referral at the receiver, record ``steps`` there, and return the acknowledgement's bytes."""
    other, _other_db = receiver
    path = tmp_path / "referral.pdf"
    path.write_bytes(referral_pdf(app, db, sent))
    trust_from_shell(other, path)
    client = logged_in(other, "caseworker")
    case_url = upload(client, path.read_bytes()).headers["Location"]
    for status, reason in steps:
        assert client.post(f"{case_url}/followup", data={"status": status, "reason": reason}).status_code == 302
    response = client.get(f"{case_url}/acknowledgement.pdf")
    assert response.status_code == 200, response.headers.get("Location")
    assert response.mimetype == "application/pdf"
    return response.data


def test_the_acknowledgement_goes_back_and_records_the_follow_up_on_the_senders_referral_once(
    app, db, sent, receiver, tmp_path
):
    other, _other_db = receiver
    ack = tmp_path / "ack.pdf"
    ack.write_bytes(acknowledged(app, db, sent, receiver, tmp_path, ("received", ""), ("accepted", "")))
    report = signing.verify(ack.read_bytes())
    assert report.unchanged
    assert report.attachment["status"] == "accepted"
    assert NAME not in json.dumps(report.attachment)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["referral", "import", str(ack)])
    assert refused.exit_code == 1
    assert "not trusted yet" in refused.output
    trust_from_shell(app, ack)
    result = runner.invoke(args=["referral", "import", str(ack)])
    assert result.exit_code == 0, result.output
    referral = referrals.get(db, sent[0]["id"], sent[1]["id"])
    assert referral["status"] == "accepted"
    assert referral["acknowledged_at"] is not None
    again = runner.invoke(args=["referral", "import", str(ack)])
    assert "Nothing to record" in again.output
    assert db["referral_events"].count == 1


def test_a_declined_acknowledgement_brings_its_reason_encrypted_to_the_sender_through_the_import_page(
    app, db, sent, receiver, tmp_path
):
    data = acknowledged(app, db, sent, receiver, tmp_path, ("declined", "No bed free tonight."))
    create_user(db, "sender_boss", PASSWORD, "supervisor")
    sender = logged_in(app, "sender_boss")
    refused = upload(sender, data).get_data(as_text=True)
    assert "not trusted yet" in refused
    path = tmp_path / "ack.pdf"
    path.write_bytes(data)
    trust_from_shell(app, path)
    response = upload(sender, data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/s/{sent[0]['reference']}")
    event = next(db.query("select * from referral_events"))
    assert event["status"] == "declined"
    assert event["reason"].startswith("enc1:")
    assert "No bed free tonight." in sender.get(f"/s/{sent[0]['reference']}").get_data(as_text=True)


def test_an_acknowledgement_for_a_referral_not_made_here_or_not_to_that_organisation_is_refused(
    app, db, sent, receiver, tmp_path
):
    other, _other_db = receiver
    good = signing.verify(acknowledged(app, db, sent, receiver, tmp_path, ("received", ""))).attachment
    path = tmp_path / "any.pdf"
    forgeries = {
        "another referral": {**good, "referral_id": "0" * 32},
        "another organisation": {**good, "receiving_organisation": "EXAMPLE - Someone else"},
        "another case": {**good, "reference": "AAAA-AAAA-AAAA"},
    }
    runner = app.test_cli_runner()
    for what, forged in forgeries.items():
        path.write_bytes(signed_with_attachment(other, forged))
        trust_from_shell(app, path)
        result = runner.invoke(args=["referral", "import", str(path)])
        assert result.exit_code == 1, what
        assert "not about a referral made here" in result.output, what
    assert referrals.get(db, sent[0]["id"], sent[1]["id"])["status"] == "sent"


def test_a_received_referral_declined_long_ago_is_purged_and_its_follow_up_codes_stay(
    app, db, sent, receiver, tmp_path
):
    other, other_db = receiver
    acknowledged(app, db, sent, receiver, tmp_path, ("declined", "No bed free tonight."))
    ended = "2020-01-01T00:00:00+00:00"
    other_db.execute("update received_events set at = ?", [ended])
    other_db.conn.commit()
    result = other.test_cli_runner().invoke(args=["data", "purge"])
    assert result.exit_code == 0, result.output
    assert "Referrals received from other installations: 1" in result.output
    row = next(other_db.query("select * from received_cases"))
    assert row["contents"] is None
    assert (row["status"], row["priority"]) == ("declined", "urgent")
    assert next(other_db.query("select reason from received_events"))["reason"] is None
    assert NAME.encode() not in other.config["SCREENING_DATABASE"].read_bytes()
    page = logged_in(other, "caseworker").get(f"/received/{row['key']}")
    assert page.status_code == 200
    assert "What identified the person was erased" in page.get_data(as_text=True)


def test_a_received_referral_still_followed_up_is_not_purged(app, db, sent, receiver, tmp_path):
    other, other_db = receiver
    acknowledged(app, db, sent, receiver, tmp_path, ("received", ""))
    other_db.execute("update received_events set at = '2020-01-01T00:00:00+00:00'")
    other_db.execute("update received_cases set imported_at = '2020-01-01T00:00:00+00:00'")
    other_db.conn.commit()
    assert other.test_cli_runner().invoke(args=["data", "purge"]).exit_code == 0
    assert next(other_db.query("select contents from received_cases"))["contents"] is not None


def test_a_file_too_large_or_missing_is_explained_on_the_page_and_nothing_changes(receiver):
    other, other_db = receiver
    client = logged_in(other, "caseworker")
    large = upload(client, b"%PDF-1.7\n" + b"0" * (signing.MAX_BYTES + 1))
    assert large.status_code == 200
    assert "The file must be smaller than 1 MB" in large.get_data(as_text=True)
    missing = client.post("/received/import", data={}, content_type="multipart/form-data")
    assert "Choose the PDF file you received" in missing.get_data(as_text=True)
    assert other_db["received_cases"].count == 0


def test_on_the_persons_request_a_received_referral_is_erased_after_the_password_again(
    app, db, sent, receiver, tmp_path, monkeypatch
):
    other, other_db = receiver
    acknowledged(app, db, sent, receiver, tmp_path, ("declined", "No bed free tonight."))
    client = logged_in(other, "caseworker")
    key = next(other_db.query("select key from received_cases"))["key"]
    refused = client.post(f"/received/{key}/erase", data={})
    assert "Confirm that the person asked for it" in refused.get_data(as_text=True)
    assert next(other_db.query("select contents from received_cases"))["contents"] is not None
    assert client.post(f"/received/{key}/erase", data={"confirm": "y"}).status_code == 302
    row = next(other_db.query("select * from received_cases"))
    assert row["contents"] is None
    assert row["status"] == "declined"
    assert next(other_db.query("select reason from received_events"))["reason"] is None
    assert NAME.encode() not in other.config["SCREENING_DATABASE"].read_bytes()
    entry = next(other_db.query("select * from audit where action = 'erase'"))
    assert json.loads(entry["detail"])["received"] == row["id"]
    assert logged_in(other, "stranger").get(f"/received/{key}/erase").status_code == 404
    no_ack = client.get(f"/received/{key}/acknowledgement.pdf")
    assert no_ack.status_code == 302
    assert "can no longer be made" in client.get(no_ack.headers["Location"]).get_data(as_text=True)


def test_an_installation_no_longer_trusted_is_refused_again_and_the_change_is_audited(
    app, db, sent, receiver, tmp_path
):
    other, other_db = receiver
    path = tmp_path / "referral.pdf"
    path.write_bytes(referral_pdf(app, db, sent))
    trust_from_shell(other, path)
    runner = other.test_cli_runner()
    listed = runner.invoke(args=["referral", "trusted"]).output
    spaced = certificates.spaced(signing.verify(path.read_bytes()).fingerprint)
    assert spaced in listed
    assert runner.invoke(args=["referral", "untrust", spaced]).exit_code == 0
    assert runner.invoke(args=["referral", "untrust", spaced]).exit_code == 1
    refused = runner.invoke(args=["referral", "import", str(path), "--organisation", RECEIVER_ORG])
    assert "not trusted yet" in refused.output
    assert other_db["received_cases"].count == 0
    assert "untrust_installation" in [r["action"] for r in other_db.query("select action from audit")]
