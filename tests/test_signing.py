"""Signed documents: every referral and sheet is signed by the installation, a changed byte shows, keys rotate."""

import asyncio
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from pypdf import PdfReader

from screening import create_app
from screening.cases import records as cases
from screening.protection import certificates
from screening.protection.audit import Actor
from screening.referral import documents, pdf, person, signing, trust
from tests.conftest import IN_DANGER, actor, add_organisation, refer


@pytest.fixture
def referred(app, db, interview, users):
    """Return (screening, referral) for a completed adult case referred with consent to share everything."""
    interview.start()
    interview.run(IN_DANGER)
    screening = cases.find(db, interview.reference)
    person.save(db, actor(db), screening, name="Nguyễn Thị Demo", contact="+84 90 000 0000", date_of_birth="1999-02-03")
    organisation = db["organisations"].get(add_organisation(db))
    referral = refer(db, screening, organisation, users["officer"], priority="emergency", services=["shelter"])
    return screening, referral


def build(app, db, referred, document="referral"):
    """Return the PDF bytes of one document of the referral, built as the web builds it."""
    with app.test_request_context():
        return documents.build(db, Actor.shell(), *referred, document)[1]


def check(app, db, data):
    with app.app_context():
        return trust.check(db, Actor.shell(), data)


@pytest.mark.parametrize("document", ["referral", "info"])
def test_every_document_is_signed_by_this_installation_and_verifies_unchanged(app, db, referred, document):
    data = build(app, db, referred, document)
    report = check(app, db, data)
    assert report.verification.unchanged
    assert report.standing == trust.THIS
    assert report.verification.subject == "Screening installation"
    with app.app_context():
        own = app.extensions[certificates.EXTENSION].material().fingerprint
    assert report.verification.fingerprint == own
    assert report.verification.signed_at is not None


def test_documents_are_signed_and_checked_where_an_event_loop_already_runs(app):
    # pyHanko starts its own asyncio loop; a thread that runs one already (Playwright's,
    # an asynchronous server) must still sign and verify.
    unsigned = pdf.render("<p>A document</p>")

    async def in_a_running_loop():
        with app.app_context():
            signed = signing.sign(unsigned)
            return signed, signing.verify(signed)

    # In a thread of its own: after the browser tests, the main thread runs Playwright's loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        signed, verification = pool.submit(asyncio.run, in_a_running_loop()).result()
    assert verification.unchanged
    assert signed.startswith(unsigned)


def test_the_signed_referral_carries_its_referral_json_with_the_referrals_own_id(app, db, referred):
    screening, referral = referred
    attached = check(app, db, build(app, db, referred)).verification.attachment
    assert attached["format"] == "trafficking-screening-referral/1"
    assert attached["reference"] == screening["reference"]
    assert attached["referral_id"] == referral["uid"]
    assert re.fullmatch(r"[0-9a-f]{32}", referral["uid"])
    assert attached["person"]["name"] == "Nguyễn Thị Demo"


def signed_range(data):
    """Return the two byte ranges the signature covers."""
    start1, length1, start2, length2 = map(int, re.search(rb"/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]", data).groups())
    return (start1, start1 + length1), (start2, start2 + length2)


@pytest.mark.parametrize(
    "where", ["start", "a quarter in", "middle of the first range", "the signing time, after the signature"]
)
def test_a_document_changed_by_one_byte_fails_verification(app, db, referred, where):
    data = bytearray(build(app, db, referred))
    (_a, end1), (start2, _b) = signed_range(bytes(data))
    position = {
        "start": 20,
        "middle of the first range": end1 // 2,
        "a quarter in": end1 // 4,
        "the signing time, after the signature": bytes(data).index(b"Z)", bytes(data).index(b"/M (D", start2)) - 1,
    }[where]
    data[position] ^= 0x01  # one bit; in the signing time its last digit, still a digit
    report = check(app, db, bytes(data))
    assert not report.verification.intact
    assert not report.verification.unchanged
    assert not report.acceptable


def test_bytes_added_after_the_signature_are_a_change_it_does_not_cover(app, db, referred):
    data = build(app, db, referred) + b"\n% added later\n"
    report = check(app, db, data)
    assert report.verification.intact
    assert not report.verification.whole_file
    assert not report.acceptable


def test_signing_keeps_the_pdf_a_metadata_as_weasyprint_wrote_it(app, db, referred):
    with app.test_request_context():
        html = pdf.info_html(referred[0], referred[1], {"name": "X", "phone": "", "address": ""}, "en")
        rendered = pdf.render(html, "a4", {"check": True})
        signed = signing.sign(rendered)
    assert signed.startswith(rendered)  # an incremental update: the rendered bytes are kept
    before, after = PdfReader(io.BytesIO(rendered)), PdfReader(io.BytesIO(signed))
    assert after.metadata == before.metadata
    xmp = after.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert xmp == before.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp
    assert "/Version" not in after.trailer["/Root"]  # pyHanko raises it to 2.0 for EC keys; PDF/A-3 is 1.7
    assert after.pdf_header == before.pdf_header
    widget = after.pages[0]["/Annots"][0].get_object()
    assert widget["/Rect"] == [0, 0, 0, 0]  # invisible
    assert widget["/F"] & 4  # and printable, as PDF/A requires
    assert list(after.attachments) == ["referral.json"]


def test_an_unsigned_pdf_and_a_file_that_is_no_pdf_are_refused_with_their_reason(app, db, referred):
    with app.test_request_context():
        unsigned = pdf.render(pdf.info_html(referred[0], referred[1], {"name": "X"}, "en"), "a4")
    for data, reason in [
        (unsigned, "unsigned"),
        (b"name,kind\nA,shelter\n", "not_pdf"),
        (b"%PDF-1.7\n garbage", "damaged"),
    ]:
        with pytest.raises(signing.NotVerifiable) as refused:
            check(app, db, data)
        assert refused.value.reason == reason
        assert str(trust.REFUSALS[reason])


def test_the_key_is_made_once_private_to_its_owner_and_not_replaced_at_the_next_start(tmp_path):
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    key_file = tmp_path / "signing" / certificates.KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "signing").stat().st_mode & 0o777 == 0o700
    first = key_file.read_bytes()
    create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    assert key_file.read_bytes() == first
    with app.app_context():
        assert len(app.extensions[certificates.EXTENSION].certificates()) == 1


def test_the_signing_folder_and_the_installations_name_come_from_the_settings(tmp_path):
    elsewhere = tmp_path / "keys"
    app = create_app(
        {
            "SCREENING_DATA_DIR": tmp_path / "data",
            "SCREENING_SIGNING_DIR": str(elsewhere),
            "SCREENING_INSTALLATION_NAME": "Shelter Network, Chiang Mai",
            "TESTING": True,
        }
    )
    assert (elsewhere / certificates.KEY_FILE).exists()
    assert not (tmp_path / "data" / "signing").exists()
    with app.app_context():
        material = app.extensions[certificates.EXTENSION].material()
    assert certificates.subject_name(material.certificate) == "Shelter Network, Chiang Mai"


def test_a_lost_key_is_not_replaced_silently_and_printing_says_why(app, db, referred, runner, tmp_path):
    key_file = app.config["SCREENING_SIGNING_DIR"] / certificates.KEY_FILE
    key_file.unlink()
    create_app({"SCREENING_DATA_DIR": app.config["SCREENING_DATA_DIR"], "TESTING": True})
    assert not key_file.exists()
    result = runner.invoke(args=["referral", "pdf", referred[0]["reference"], "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 1
    assert "signing key is missing" in result.output
    assert not (tmp_path / "r.pdf").exists()
    assert db["exports"].count == 0


def test_rotation_makes_a_new_key_and_documents_signed_before_still_verify_as_an_older_key(app, db, referred, runner):
    before = build(app, db, referred)
    result = runner.invoke(args=["referral", "rotate-signing-key"])
    assert result.exit_code == 0, result.output
    after = build(app, db, referred)
    old, new = check(app, db, before), check(app, db, after)
    assert old.verification.fingerprint != new.verification.fingerprint
    assert (old.standing, new.standing) == (trust.THIS_OLDER, trust.THIS)
    assert old.verification.unchanged
    assert old.acceptable
    assert certificates.spaced(new.verification.fingerprint) in result.output
    assert "rotate_signing_key" in [row["action"] for row in db.query("select action from audit")]


def test_keys_are_not_made_per_document(app, db, referred, monkeypatch):
    def refuse():
        raise AssertionError("a key was generated while printing")

    monkeypatch.setattr(certificates, "new_key", refuse)
    build(app, db, referred)
    build(app, db, referred, "info")


def test_verify_prints_the_signer_the_fingerprint_the_state_and_the_attached_json(app, db, referred, runner, tmp_path):
    path = tmp_path / "referral.pdf"
    path.write_bytes(build(app, db, referred))
    result = runner.invoke(args=["referral", "verify", str(path)])
    assert result.exit_code == 0, result.output
    fingerprint = check(app, db, path.read_bytes()).verification.fingerprint
    assert "Signed by: Screening installation" in result.output
    assert certificates.spaced(fingerprint) in result.output
    assert "unchanged since it was signed" in result.output
    assert "Signer: This installation" in result.output
    attached = json.loads(result.output[result.output.index("{") :])
    assert attached["referral_id"] == referred[1]["uid"]


def test_verify_fails_for_a_changed_document_an_unknown_signer_and_a_foreign_file(app, db, referred, runner, tmp_path):
    data = build(app, db, referred)
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(data + b"\n% added later\n")
    result = runner.invoke(args=["referral", "verify", str(changed)])
    assert result.exit_code == 1
    assert "CHANGED" in result.output
    other = create_app({"SCREENING_DATA_DIR": tmp_path / "other", "TESTING": True})
    foreign = tmp_path / "foreign.pdf"
    foreign.write_bytes(data)
    result = other.test_cli_runner().invoke(args=["referral", "verify", str(foreign)])
    assert result.exit_code == 3
    assert "An unknown installation" in result.output
    text = tmp_path / "list.csv"
    text.write_text("name,kind\n")
    result = runner.invoke(args=["referral", "verify", str(text)])
    assert result.exit_code == 1
    assert "not a PDF document" in result.output
