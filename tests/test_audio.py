"""Recordings of the person's texts: who may record and approve, what is accepted, what is played, and packs."""

import io
import json
import re
import zipfile

import pytest

from screening.audio import clips, packs, recordings
from screening.i18n.person import msgid
from screening.instrument import questionnaire
from tests.audio_samples import ogg_opus, webm_opus
from tests.conftest import PASSWORD, Interview, create_user

QUESTION = msgid(questionnaire.BY_ID["danger_now"].text)
KEY = recordings.key(QUESTION)


@pytest.fixture
def voices(db, users):
    """Two speakers with the voice role, beside the usual accounts."""
    return {name: create_user(db, name, PASSWORD, "voice") for name in ("dara", "sophea")}


def logged_in(app, name):
    driver = Interview(app.test_client())
    assert driver.login(name).status_code == 302
    return driver.client


def upload(client, data, name="clip.ogg", lang="km", key=KEY, recorded="0"):
    form = {"clip": (io.BytesIO(data), name), "recorded": recorded}
    return client.post(f"/audio/{lang}/{key}", data=form, content_type="multipart/form-data")


def test_a_voice_account_starts_on_the_audio_page_and_reaches_no_case(app, voices):
    client = Interview(app.test_client())
    response = client.login("dara")
    assert response.headers["Location"].endswith("/audio")
    page = client.client.get("/audio").get_data(as_text=True)
    assert "ភាសាខ្មែរ" in page
    assert "/new" not in page
    assert "Statistics" not in page
    for path in ("/", "/new", "/desk", "/statistics", "/admin/accounts", "/account"):
        assert client.client.get(path).status_code == 404, path
    officer = logged_in(app, "officer")
    assert officer.get("/audio").status_code == 404


def test_every_person_text_is_listed_in_each_language_with_its_words(app, voices):
    client = logged_in(app, "dara")
    page = client.get("/audio/km").get_data(as_text=True)
    assert page.count('class="state-none"') == len(recordings.texts())
    with app.test_request_context():
        khmer = recordings.words(QUESTION, "km")
    assert khmer in page
    assert khmer != QUESTION
    assert client.get("/audio/xx").status_code == 404
    assert client.get("/audio/km/0000000000000000").status_code == 404


def test_a_recording_waits_for_someone_else_to_approve_it_then_plays_in_the_persons_turn(app, db, voices, users):
    dara, sophea = logged_in(app, "dara"), logged_in(app, "sophea")
    sent = upload(dara, webm_opus(2.5), "clip.webm", recorded="1")
    assert sent.status_code == 303
    row = next(db.query("select * from recordings"))
    assert (row["status"], row["mime"], row["duration_ms"], row["source"]) == ("pending", "audio/webm", 2500, "browser")
    page = dara.get(f"/audio/km/{KEY}").get_data(as_text=True)
    assert "You made this recording" in page
    assert 'value="approve"' not in page
    assert dara.post(f"/audio/km/{KEY}/decide", data={"recording": row["id"], "decision": "approve"}).status_code == 303
    assert db.execute("select status from recordings").fetchone()[0] == "pending"
    clip_path = f"/audio/clip/{row['sha256']}.webm"
    officer = Interview(app.test_client())
    officer.login()
    assert officer.client.get(clip_path).status_code == 404  # not approved: only reviewers hear it
    assert sophea.get(clip_path).status_code == 200
    sophea.post(f"/audio/km/{KEY}/decide", data={"recording": row["id"], "decision": "approve"})
    assert db.execute("select status, decided_by from recordings").fetchone() == ("approved", voices["sophea"])
    served = officer.client.get(clip_path)
    assert served.status_code == 200
    assert served.mimetype == "audio/webm"
    assert served.data == webm_opus(2.5)
    assert {"private", "immutable", "max-age=31536000"} <= set(re.split(r",\s*", served.headers["Cache-Control"]))
    officer.start(interview_lang="km")
    officer.client.post(f"/s/{officer.reference}/hand-over", data={"code": "1357"})
    turn = officer.client.get("/turn").get_data(as_text=True)
    assert f'src="{clip_path}"' in turn
    assert 'preload="none"' in turn


def test_a_recording_whose_text_changed_is_out_of_date_and_not_played(app, db, voices):
    upload(logged_in(app, "dara"), ogg_opus())
    logged_in(app, "sophea").post(f"/audio/km/{KEY}/decide", data={"recording": 1, "decision": "approve"})
    assert db.execute("select status from recordings").fetchone()[0] == "approved"
    with app.test_request_context():
        assert QUESTION in recordings.playable(db, "km")
        db.execute("update recordings set text = 'words said before the text changed'")
        assert QUESTION not in recordings.playable(db, "km")
        state = next(i for i in recordings.overview(db, "km") if i["msgid"] == QUESTION)["state"]
    assert state == recordings.OUT_OF_DATE
    assert "Out of date: the text changed" in logged_in(app, "admin").get(f"/audio/km/{KEY}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(400), "not Opus audio in Ogg or WebM"),
        (b"#!/bin/sh\nrm -rf /\n", "not Opus audio in Ogg or WebM"),
        (ogg_opus(61), "A clip lasts from 0.3 to 60 seconds"),
        (ogg_opus(0.1), "A clip lasts from 0.3 to 60 seconds"),
        (ogg_opus(4, bytes_per_second=16000), "coded for music, not speech"),
        (webm_opus(2, codec=b"A_VORBIS"), "not Opus audio in Ogg or WebM"),
        (ogg_opus(3)[:-100], "not Opus audio in Ogg or WebM"),
        (b"", "Choose a file, or record in the browser"),
    ],
)
def test_a_file_that_is_not_a_speech_clip_is_refused_with_its_reason_and_nothing_is_kept(
    app, db, voices, data, message
):
    refused = upload(logged_in(app, "dara"), data)
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    assert db.execute("select count(*) from recordings").fetchone()[0] == 0


def test_the_length_of_a_clip_is_read_from_the_stream_itself():
    assert clips.check(ogg_opus(3.0)) == ("audio/ogg", 3000)
    assert clips.check(webm_opus(12.0)) == ("audio/webm", 12000)
    two_streams = ogg_opus(1.0) + ogg_opus(1.0, serial=77)
    with pytest.raises(clips.ClipError):
        clips.check(two_streams)


def approved_pack(app, db, lang="km"):
    dara, sophea = logged_in(app, "dara"), logged_in(app, "sophea")
    for seed, text in enumerate(recordings.texts()[:3]):
        upload(dara, ogg_opus(2, seed=seed), key=recordings.key(text), lang=lang)
    for row in db.query("select id, msgid from recordings"):
        decided = {"recording": row["id"], "decision": "approve"}
        sophea.post(f"/audio/{lang}/{recordings.key(row['msgid'])}/decide", data=decided)
    result = app.test_cli_runner().invoke(
        args=["audio", "export", "--lang", lang, "-o", str(app.config["SCREENING_DATA_DIR"] / "km.zip")]
    )
    assert result.exit_code == 0, result.output
    assert "3 recording(s)" in result.output
    return (app.config["SCREENING_DATA_DIR"] / "km.zip").read_bytes()


def test_a_pack_carries_one_organisations_approved_recordings_to_another(app, db, voices, tmp_path_factory):
    from screening import create_app
    from tests.conftest import connect

    data = approved_pack(app, db)
    elsewhere = create_app({"SCREENING_DATA_DIR": tmp_path_factory.mktemp("other"), "TESTING": True})
    pack = tmp_path_factory.mktemp("packs") / "km.zip"
    pack.write_bytes(data)
    result = elsewhere.test_cli_runner().invoke(args=["audio", "import", str(pack)])
    assert result.exit_code == 0, result.output
    assert "3 recording(s) in km imported" in result.output
    again = elsewhere.test_cli_runner().invoke(args=["audio", "import", str(pack)])
    assert "0 recording(s) in km imported and approved; 3 already here" in again.output
    other = connect(elsewhere.config["SCREENING_DATABASE"])
    with elsewhere.test_request_context():
        assert len(recordings.playable(other, "km")) == 3
    audit = [r["action"] for r in other.query("select action from audit")]
    assert audit.count("recordings_import") == 2


def _rewritten(data, change):
    """Return a pack with ``change`` applied to its members (a dict of name -> bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as pack:
        members = {name: pack.read(name) for name in pack.namelist()}
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as pack:
        for name, content in members.items():
            pack.writestr(name, content)
    return out.getvalue()


def _manifest(members):
    return json.loads(members["manifest.json"])


def _set_manifest(members, manifest):
    members["manifest.json"] = json.dumps(manifest).encode()


def _unknown_text(members):
    manifest = _manifest(members)
    manifest["clips"][0]["msgid"] = "Transfer the money now"
    _set_manifest(members, manifest)


def _other_words(members):
    manifest = _manifest(members)
    manifest["clips"][0]["text"] = "words recorded for an older version of the text"
    _set_manifest(members, manifest)


def _swapped_clip(members):
    name = next(n for n in members if n.startswith("clips/"))
    members[name] = ogg_opus(2, seed=99)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda m: m.update({"run.sh": b"#!/bin/sh\n"}), "not a file an audio pack holds"),
        (lambda m: m.update({"../../etc/cron.d/x": b"x"}), "not a file an audio pack holds"),
        (lambda m: m.update({"clips/" + "0" * 64 + ".exe": b"MZ"}), "not a file an audio pack holds"),
        (_unknown_text, "for a text the person does not hear here"),
        (_swapped_clip, "not the file its name says"),
        (lambda m: m.pop("manifest.json"), "no manifest.json"),
        (lambda m: m.update({"manifest.json": b"{not json"}), "not JSON"),
        (lambda m: _set_manifest(m, {**_manifest(m), "lang": "xx"}), "not an interview language here"),
    ],
)
def test_a_pack_with_any_fault_is_refused_whole(app, db, voices, tmp_path, change, reason):
    pack = tmp_path / "bad.zip"
    pack.write_bytes(_rewritten(approved_pack(app, db), change))
    db.execute("delete from recordings")
    result = app.test_cli_runner().invoke(args=["audio", "import", str(pack)])
    assert result.exit_code == 2, result.output
    assert reason in result.output
    assert db.execute("select count(*) from recordings").fetchone()[0] == 0


def test_a_clip_recorded_for_other_words_is_left_out_and_counted(app, db, voices, tmp_path):
    pack = tmp_path / "km.zip"
    pack.write_bytes(_rewritten(approved_pack(app, db), _other_words))
    db.execute("delete from recordings")
    result = app.test_cli_runner().invoke(args=["audio", "import", str(pack)])
    assert result.exit_code == 0
    assert "2 recording(s) in km imported" in result.output
    assert "1 left out" in result.output


def test_a_zip_bomb_is_refused_before_it_is_read(db, app):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("manifest.json", b" " * (packs.MANIFEST_MAX_BYTES * 50))
    with pytest.raises(packs.PackError, match="too large"):
        packs.read(out.getvalue(), {"km"})
