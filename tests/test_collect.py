"""Screenings collected offline: ODK's formats read, encrypted submissions opened, each imported once, all or none.

Every submission here is made from the form's own XForm (pyxform's conversion
of our XLSForm) and, where encrypted, as ODK Collect encrypts it (tests/odk.py).
The import must score a submission exactly as this app's own interview scores
the same answers.
"""

import io
import json
import zipfile

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from screening.cases import records
from screening.collect import encryption, formats, xlsform
from screening.collect.formats import NOT_XML
from screening.instrument import questionnaire
from tests.conftest import SCAM_COMPOUND, Interview, create_user
from tests.odk import encrypted, instance_xml

ADULT = {"stage": "after_exit", "age": "30", "possibly_minor": "no", "sex": "male", "nationality": "NPL"}


@pytest.fixture
def xform(app, tmp_path):
    with app.app_context():
        key = encryption.key(app.config["SCREENING_SIGNING_DIR"])
        path = xlsform.write_workbook(tmp_path / "form.xlsx", public_key=encryption.public_key_text(key))
    return convert(xlsform=str(path), validate=False).xform


@pytest.fixture
def public_key(app):
    with app.app_context():
        return encryption.public_key_text(encryption.key(app.config["SCREENING_SIGNING_DIR"]))


def imported(runner, *paths, as_user="supervisor"):
    return runner.invoke(args=["cases", "import", *map(str, paths), "--as", as_user])


def case_of(db, output):
    reference = output.split("Imported ", 1)[1].split()[0]
    return records.find(db, reference)


def test_the_workbook_carries_the_public_key_so_phones_encrypt(xform, public_key):
    assert f'base64RsaPublicKey="{public_key}"' in xform
    assert "<bank_version/>" in xform


def test_an_officers_submission_is_scored_as_this_apps_interview_scores_the_same_answers(
    interview, db, runner, xform, tmp_path
):
    interview.start()
    interview.run(SCAM_COMPOUND)
    reference = next(db.query("select reference from screenings order by id desc limit 1"))["reference"]
    ours = records.find(db, reference)
    stored = records.answers(db, ours["id"])
    _id, xml = instance_xml(xform, stored, officer="officer")
    (tmp_path / "submission.xml").write_bytes(xml)
    result = imported(runner, tmp_path / "submission.xml")
    assert result.exit_code == 0, result.output
    case = case_of(db, result.output)
    assert case["evidence"] == ours["evidence"]
    assert json.loads(case["assessment"]) == json.loads(ours["assessment"])
    assert case["status"] == records.COMPLETED
    assert case["officer_id"] == ours["officer_id"]
    assert records.answers(db, case["id"]) == stored


def test_an_encrypted_submission_is_opened_with_the_installations_key(users, db, runner, xform, public_key, tmp_path):
    instance_id, xml = instance_xml(xform, {**ADULT, **SCAM_COMPOUND})
    manifest, files = encrypted(xml, instance_id, public_key, media=[("photo.jpg", b"\xff\xd8 not really a photo")])
    (tmp_path / "submission.xml").write_bytes(manifest)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert b"scam" not in files["submission.xml.enc"]
    result = imported(runner, tmp_path / "submission.xml")
    assert result.exit_code == 0, result.output
    case = case_of(db, result.output)
    assert case["outcome"] == json.loads(case["assessment"])["outcome"]
    assert records.answers(db, case["id"])["coercion"] == SCAM_COMPOUND["coercion"]
    tool = db.execute("select tool from collected_submissions where instance_id = ?", [instance_id]).fetchone()[0]
    assert tool == "odk-encrypted"


def test_a_submission_for_another_key_or_changed_on_the_way_is_refused_by_name(
    users, db, runner, xform, public_key, tmp_path
):
    instance_id, xml = instance_xml(xform, ADULT)
    manifest, files = encrypted(xml, instance_id, public_key)
    changed = bytearray(files["submission.xml.enc"])
    changed[40] ^= 1
    (tmp_path / "submission.xml").write_bytes(manifest)
    (tmp_path / "submission.xml.enc").write_bytes(bytes(changed))
    result = imported(runner, tmp_path / "submission.xml")
    assert result.exit_code == 2
    assert "submission.xml: the files do not match their signature" in result.output
    other = encryption.public_key_text(encryption.rsa.generate_private_key(public_exponent=65537, key_size=2048))
    manifest, files = encrypted(xml, instance_id, other)
    (tmp_path / "submission.xml").write_bytes(manifest)
    (tmp_path / "submission.xml.enc").write_bytes(files["submission.xml.enc"])
    result = imported(runner, tmp_path / "submission.xml")
    assert "cannot be decrypted: made for another installation's key" in result.output
    manifest, _files = encrypted(xml, instance_id, public_key)
    (tmp_path / "submission.xml").write_bytes(manifest)
    (tmp_path / "submission.xml.enc").unlink()
    result = imported(runner, tmp_path / "submission.xml")
    assert "a file it needs is missing beside it (submission.xml.enc)" in result.output
    assert db.execute("select count(*) from screenings").fetchone()[0] == 0


def test_importing_the_same_submission_twice_does_nothing_the_second_time(users, db, runner, xform, tmp_path):
    _id, xml = instance_xml(xform, ADULT)
    (tmp_path / "submission.xml").write_bytes(xml)
    assert imported(runner, tmp_path / "submission.xml").exit_code == 0
    again = imported(runner, tmp_path / "submission.xml")
    assert again.exit_code == 0
    assert "0 imported, 1 already there." in again.output
    assert db.execute("select count(*) from screenings").fetchone()[0] == 1


def test_one_submission_that_does_not_fit_stops_the_whole_import(users, db, runner, xform, tmp_path):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        for index in range(2):
            _id, xml = instance_xml(xform, ADULT)
            bundle.writestr(f"instances/s{index}/s{index}.xml", xml)
        _id, old = instance_xml(xform, ADULT, bank_version="1.0000000000")
        bundle.writestr("instances/old/old.xml", old)
        _id, odd = instance_xml(xform, {**ADULT, "sex": "robot"})
        bundle.writestr("instances/odd/odd.xml", odd)
    (tmp_path / "phone.zip").write_bytes(archive.getvalue())
    result = imported(runner, tmp_path / "phone.zip")
    assert result.exit_code == 2
    assert "phone.zip/instances/old/old.xml: made with another version of the questions" in result.output
    assert f"1.0000000000 ≠ {questionnaire.VERSION}" in result.output
    assert "phone.zip/instances/odd/odd.xml: an answer the questions do not offer (sex: robot)" in result.output
    assert "Nothing was imported" in result.output
    assert db.execute("select count(*) from screenings").fetchone()[0] == 0


def test_a_folder_of_instances_as_collect_keeps_them(users, db, runner, xform, tmp_path):
    for index in range(3):
        folder = tmp_path / "instances" / f"trafficking_screening_{index}"
        folder.mkdir(parents=True)
        (folder / f"trafficking_screening_{index}.xml").write_bytes(instance_xml(xform, ADULT)[1])
    result = imported(runner, tmp_path / "instances")
    assert result.exit_code == 0, result.output
    assert "3 imported, 0 already there." in result.output


def test_odk_centrals_csv_export_is_imported(users, db, runner, tmp_path):
    columns = [
        "SubmissionDate,start,end,officer,bank_version,post,interview_lang,interpreter,consent",
        "interview-page_about_person-stage,interview-page_about_person-age",
        "interview-page_about_you-possibly_minor,interview-page_about_you-sex,interview-page_about_you-nationality",
        "interview-deceived,interview-deceived/wages,meta-instanceID,KEY,FormVersion",
    ]
    header = ",".join(columns)
    row = f"2026-12-01,2026-12-01T09:00:00.000+07:00,2026-12-01T09:20:00.000+07:00,officer,{questionnaire.VERSION},"
    row += "Mae Sot,my,independent,yes,at_destination,34,no,female,MMR,job_nature wages,1,uuid:c1,uuid:c1,"
    row += questionnaire.VERSION
    (tmp_path / "trafficking_screening.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    result = imported(runner, tmp_path / "trafficking_screening.csv")
    assert result.exit_code == 0, result.output
    case = case_of(db, result.output)
    assert records.answers(db, case["id"])["deceived"] == ["job_nature", "wages"]
    assert case["post"] == "Mae Sot"
    assert case["interview_lang"] == "my"


def test_kobotoolboxs_json_export_is_imported_and_names_its_rows_in_errors(users, db, runner, tmp_path):
    entry = {
        "_id": 7,
        "_uuid": "k1",
        "_xform_id_string": "trafficking_screening",
        "_submitted_by": "officer",
        "officer": "",  # Enketo leaves the username empty: KoboToolbox's account name stands in
        "start": "2026-12-01T09:00:00.000+07:00",
        "bank_version": questionnaire.VERSION,
        "post": "Bavet",
        "consent": "yes",
        "interview/page_about_person/stage": "after_exit",
        "interview/page_about_person/age": "19",
        "interview/page_about_you/possibly_minor": "no",
        "meta/instanceID": "uuid:k1",
    }
    (tmp_path / "kobo.json").write_text(json.dumps({"count": 2, "results": [entry, {**entry, "_uuid": ""}]}))
    result = imported(runner, tmp_path / "kobo.json")
    assert result.exit_code == 0, result.output
    assert "1 imported" in result.output  # the second entry has the same instance id
    case = case_of(db, result.output)
    assert case["officer_id"] == users["officer"]
    (tmp_path / "bad.json").write_text(json.dumps([{**entry, "meta/instanceID": "uuid:k2", "post": ""}]))
    result = imported(runner, tmp_path / "bad.json")
    assert "bad.json, entry 1: no post or location recorded" in result.output


def test_a_refusal_is_a_refused_case_with_no_answers(users, db, runner, xform, tmp_path):
    _id, xml = instance_xml(xform, {}, consent="no")
    (tmp_path / "refused.xml").write_bytes(xml)
    result = imported(runner, tmp_path / "refused.xml")
    case = case_of(db, result.output)
    assert case["status"] == records.REFUSED
    assert records.answers(db, case["id"]) == {}


def test_a_case_belongs_to_the_named_officer_only_within_the_importers_organisation(db, runner, xform, tmp_path):
    create_user(db, "lead", "a long test password", "supervisor", organisation="Shelter A")
    create_user(db, "inside", "a long test password", "officer", organisation="Shelter A")
    create_user(db, "outside", "a long test password", "officer", organisation="Shelter B")
    for name in ("inside", "outside", "nobody"):
        (tmp_path / f"{name}.xml").write_bytes(instance_xml(xform, ADULT, officer=name)[1])
    result = imported(runner, *(tmp_path / f"{n}.xml" for n in ("inside", "outside", "nobody")), as_user="lead")
    assert result.exit_code == 0, result.output
    owners = dict(db.execute("select u.username, s.organisation from screenings s join users u on u.id = s.officer_id"))
    assert owners == {"inside": "Shelter A", "lead": "Shelter A"}
    assert result.output.count("the case is lead's") == 2


def test_only_a_supervisor_or_administrator_may_import(users, runner, xform, tmp_path):
    (tmp_path / "s.xml").write_bytes(instance_xml(xform, ADULT)[1])
    result = imported(runner, tmp_path / "s.xml", as_user="officer")
    assert result.exit_code == 2
    assert "is not an active supervisor or administrator" in result.output


def test_the_import_is_audited_with_the_tool_and_the_version(users, db, runner, xform, tmp_path):
    (tmp_path / "s.xml").write_bytes(instance_xml(xform, ADULT, officer="officer")[1])
    result = imported(runner, tmp_path / "s.xml")
    row = db.execute("select username, detail, reference from audit where action = 'case_import'").fetchone()
    assert row[0] == "supervisor"
    assert json.loads(row[1]) == {"tool": "odk-xml", "version": questionnaire.VERSION, "owner": "officer"}
    assert row[2] in result.output


# --- the page ---------------------------------------------------------------------------


def logged_in(app, name):
    driver = Interview(app.test_client())
    assert driver.login(name).status_code == 302
    return driver.client


def test_the_page_is_not_there_for_an_officer(app, users):
    client = logged_in(app, "officer")
    assert client.get("/collected/").status_code == 404
    assert client.get("/collected/screening.xlsx").status_code == 404
    assert client.post("/collected/", data={}).status_code == 404


def test_a_supervisor_downloads_the_form_with_this_installations_key(app, users, public_key, tmp_path):
    client = logged_in(app, "supervisor")
    page = client.get("/collected/").get_data(as_text=True)
    assert 'href="/collected/screening.xlsx"' in page
    response = client.get("/collected/screening.xlsx")
    assert response.status_code == 200
    assert f"trafficking_screening-{questionnaire.VERSION}.xlsx" in response.headers["Content-Disposition"]
    (tmp_path / "form.xlsx").write_bytes(response.data)
    settings = load_workbook(tmp_path / "form.xlsx", read_only=True)["settings"]
    rows = list(settings.iter_rows(values_only=True))
    assert dict(zip(rows[0], rows[1], strict=True))["public_key"] == public_key


def test_a_supervisor_imports_several_files_at_once_and_is_told_what_happened(app, users, db, xform, public_key):
    client = logged_in(app, "supervisor")
    instance_id, xml = instance_xml(xform, ADULT, officer="officer")
    manifest, files = encrypted(xml, instance_id, public_key)
    _other, plain = instance_xml(xform, ADULT)
    uploads = [
        (io.BytesIO(manifest), "submission.xml"),
        (io.BytesIO(files["submission.xml.enc"]), "submission.xml.enc"),
    ]
    uploads.append((io.BytesIO(plain), "plain.xml"))
    response = client.post("/collected/", data={"files": uploads}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 screenings imported." in page
    assert db.execute("select count(*) from collected_submissions").fetchone()[0] == 2


def test_an_import_that_does_not_fit_names_each_file_in_the_users_language_and_stores_nothing(app, users, db, xform):
    client = logged_in(app, "supervisor")
    client.get("/?lang=th")
    _id, good = instance_xml(xform, ADULT)
    uploads = [(io.BytesIO(good), "good.xml"), (io.BytesIO(b"<data><oops"), "<i>odd.xml")]
    response = client.post("/collected/", data={"files": uploads}, content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    with app.test_request_context(), force_locale("th"):
        reason = str(NOT_XML)
    assert reason != "not a readable XML submission"
    assert reason in page
    assert "&lt;i&gt;odd.xml" in page
    assert "<i>odd" not in page
    assert db.execute("select count(*) from screenings").fetchone()[0] == 0


def test_importing_with_no_file_chosen_says_so(app, users):
    client = logged_in(app, "supervisor")
    response = client.post("/collected/", data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Choose the files to import" in response.get_data(as_text=True)


def test_xml_with_entities_and_a_zip_that_would_unpack_too_much_are_refused_before_they_are_read(
    users, runner, tmp_path
):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>'
    )
    (tmp_path / "laughs.xml").write_bytes(laughs)
    result = imported(runner, tmp_path / "laughs.xml")
    assert result.exit_code == 2
    assert "laughs.xml: not a readable XML submission" in result.output
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("big.xml", b"0" * (formats.MAX_UNPACKED + 1))
    (tmp_path / "bomb.zip").write_bytes(archive.getvalue())
    assert len(archive.getvalue()) < formats.MAX_UNPACKED // 100
    result = imported(runner, tmp_path / "bomb.zip")
    assert result.exit_code == 2
    assert "bomb.zip: too large to unpack: at most 5000 files, 200 MB" in result.output
