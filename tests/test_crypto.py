"""Encryption at rest: what is encrypted, where the keys live, and changing the key without losing data."""

import json
import os

import pytest
from cryptography.fernet import Fernet, InvalidToken

from screening import create_app
from screening.accounts import store
from screening.cases import casework
from screening.cases import records as cases
from screening.protection import audit, crypto, keys
from screening.protection.audit import Actor
from screening.referral import followup, person, referrals
from tests.conftest import IN_DANGER, add_organisation, refer

NAME = "Sokha Chanthavong-Testperson"
CONTACT = "+855 12 987 654"
BIRTH = "1999-02-03"
CONCERN = "Her ticket was bought by a stranger who waited outside."
REASON = "The controller is waiting outside the office right now."
NOTE = "She asked us not to call her uncle, who found the job."
DECLINED = "No bed free for a woman with a baby tonight."
CONCERN_ANSWERS = {**IN_DANGER, "officer_concern": "yes", "officer_concern_reason": CONCERN}


def identified_case(db, officer_id, organisation_id, suffix=""):
    """Create a completed urgent case holding every kind of identifying data; return its row.

    The person's details, the officer's concern in words, a referral without consent with its
    written reason, a second referral declined with a reason, and a caseworker's note.
    """
    officer = Actor.of(store.get(db, officer_id))
    screening = cases.create(db, officer, "Test post", "en", "none")
    cases.record_consent(db, officer, screening, True)
    answers = {**CONCERN_ANSWERS, "officer_concern_reason": CONCERN + suffix, "age": 27}
    cases.save_answers(db, officer, screening, "all", answers)
    cases.end(db, officer, screening, cases.COMPLETED)
    screening = cases.find(db, screening["reference"])
    person.save(db, officer, screening, name=NAME + suffix, contact=CONTACT, date_of_birth=BIRTH)
    organisation = db["organisations"].get(organisation_id)
    refer(
        db, screening, organisation, officer_id, items=[], priority="emergency", consented=False, reason=REASON + suffix
    )
    declined = refer(db, screening, organisation, officer_id)
    followup.advance(db, officer, screening, declined, "declined", reason=DECLINED + suffix)
    casework.add_note(db, officer, screening, NOTE + suffix)
    return cases.find(db, screening["reference"])


def raw_values(db):
    """Return every value stored in an encrypted column, as stored."""
    values = []
    for _table, _column, sql in crypto._selects():
        values.extend(row["value"] for row in db.query(sql))
    return values


def file_bytes(app):
    """Return the bytes of the database file and its write-ahead log."""
    path = app.config["SCREENING_DATABASE"]
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.fixture
def case(db, users):
    """Return a completed case with a name, a concern and a written reason."""
    return identified_case(db, users["officer"], add_organisation(db))


# --- encrypt and decrypt --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "Sokha", "ស្រីពៅ ចាន់", "မောင်မောင်", "Nguyễn Thị Hương", "王小红", "a" * 5000, '{"json": [1, "x"]}'],
)
def test_a_value_comes_back_exactly_as_it_went_in(app, text):
    with app.app_context():
        stored = crypto.encrypt(text)
        assert stored.startswith(crypto.PREFIX)
        assert text.encode() not in stored.encode() or text == ""
        assert crypto.decrypt(stored) == text


def test_none_stays_none(app):
    with app.app_context():
        assert crypto.encrypt(None) is None
        assert crypto.decrypt(None) is None


def test_the_same_text_encrypts_differently_each_time(app):
    with app.app_context():
        assert crypto.encrypt(NAME) != crypto.encrypt(NAME)


@pytest.mark.parametrize(
    ("stored", "why"),
    [
        ("enc1:" + Fernet(Fernet.generate_key()).encrypt(b"x").decode(), "another key"),
        ("enc1:not-a-token", "garbage"),
        ("enc1:", "empty token"),
        (NAME, "not encrypted"),
    ],
)
def test_a_value_no_key_opens_is_refused_with_a_clear_error(app, stored, why):
    with app.app_context(), pytest.raises(crypto.UndecryptableError, match="key|not encrypted"):
        crypto.decrypt(stored)


def test_a_changed_token_is_refused_not_misread(app):
    with app.app_context():
        stored = crypto.encrypt(NAME)
        middle = len(stored) // 2
        flipped = stored[:middle] + ("A" if stored[middle] != "A" else "B") + stored[middle + 1 :]
        with pytest.raises(crypto.UndecryptableError):
            crypto.decrypt(flipped)


# --- where the keys live --------------------------------------------------------------


def test_the_key_file_is_created_at_first_start_for_the_owner_only_and_kept(app, tmp_path):
    key_file = tmp_path / crypto.KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    keys = key_file.read_text().split()
    assert len(keys) == 1
    Fernet(keys[0])
    again = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    assert key_file.read_text().split() == keys
    assert again.extensions[crypto.EXTENSION].keys == tuple(keys)


def test_keys_from_the_environment_come_first_and_leave_no_file(monkeypatch, tmp_path):
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("SCREENING_ENCRYPTION_KEY", f" {first} , {second} ")
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    assert not (tmp_path / crypto.KEY_FILE).exists()
    with app.app_context():
        stored = crypto.encrypt(NAME)
        assert Fernet(first).decrypt(stored[len(crypto.PREFIX) :].encode()) == NAME.encode()
        older = crypto.PREFIX + Fernet(second).encrypt(b"old value").decode()
        assert crypto.decrypt(older) == "old value"


@pytest.mark.parametrize(
    "value",
    ["not-a-key", "short", f"{Fernet.generate_key().decode()},nonsense", ","],
    ids=["not-a-key", "short", "a-key-then-nonsense", "commas"],
)
def test_a_malformed_key_stops_the_app_without_showing_the_key(monkeypatch, tmp_path, value):
    monkeypatch.setenv("SCREENING_ENCRYPTION_KEY", value)
    with pytest.raises(crypto.CryptoError) as caught:
        create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    assert "nonsense" not in str(caught.value)
    assert "not-a-key" not in str(caught.value)


def test_a_lost_key_file_stops_the_app_instead_of_starting_a_new_key(app, case, tmp_path):
    (tmp_path / crypto.KEY_FILE).unlink()
    with pytest.raises(crypto.CryptoError, match="restore the key file"):
        create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    assert not (tmp_path / crypto.KEY_FILE).exists()


def test_a_key_that_does_not_fit_the_database_stops_the_app(app, case, tmp_path):
    (tmp_path / crypto.KEY_FILE).write_text(Fernet.generate_key().decode() + "\n")
    with pytest.raises(crypto.CryptoError, match="do not open the data"):
        create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})


def test_values_stored_plain_before_encryption_are_encrypted_at_start(app, db, case, tmp_path):
    db.execute("update people set name = ? where screening_id = ?", [NAME, case["id"]])
    db.execute("update referrals set basis_reason = ?", [REASON])
    create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    assert all(value.startswith(crypto.PREFIX) for value in raw_values(db))
    assert person.stored(db, case["id"])["name"] == NAME
    assert referrals.for_case(db, case["id"])[0]["basis_reason"] == REASON


# --- what is encrypted ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "where"),
    [
        ("people", "name", "1"),
        ("people", "contact", "1"),
        ("people", "date_of_birth", "1"),
        ("answers", "value", "question_id = 'officer_concern_reason'"),
        ("screenings", "evidence", "1"),
        ("referrals", "basis_reason", "basis = 'urgent'"),
        ("referral_events", "reason", "status = 'declined'"),
        ("notes", "text", "1"),
    ],
)
def test_each_identifying_field_is_stored_encrypted(db, case, table, column, where):
    stored = next(db.query(f"select {column} as value from {table} where {where}"))["value"]  # noqa: S608
    assert stored.startswith(crypto.PREFIX)


def test_each_identifying_field_reads_back_as_it_was_written(db, case):
    details = person.stored(db, case["id"])
    assert (details["name"], details["contact"], details["date_of_birth"]) == (NAME, CONTACT, BIRTH)
    assert casework.notes(db, case["id"])[0]["text"] == NOTE
    declined = referrals.for_case(db, case["id"])[1]
    assert followup.events(db, declined["id"])[-1]["reason"] == DECLINED
    assert cases.answers(db, case["id"])["officer_concern_reason"] == CONCERN
    assert json.loads(case["evidence"])["officer_concern"] == CONCERN
    assert referrals.for_case(db, case["id"])[0]["basis_reason"] == REASON
    assert referrals.get(db, case["id"], referrals.for_case(db, case["id"])[0]["id"])["basis_reason"] == REASON


def test_answers_by_choice_and_the_result_stay_plain_for_statistics(db, case):
    rows = {r["question_id"]: r["value"] for r in db.query("select question_id, value from answers")}
    assert json.loads(rows["coercion"]) == IN_DANGER["coercion"]
    assert json.loads(rows["officer_concern"]) == "yes"
    row = next(db.query("select outcome, rule, assessment from screenings"))
    assert (row["outcome"], row["rule"]) == ("presumed", "adult_combination")
    assert "d5.documents_confiscated" in json.loads(row["assessment"])["dimensions"]["d5"]["present"]


def test_a_copy_of_the_database_file_reveals_no_identity(app, client, db, interview):
    interview.start()
    interview.run(CONCERN_ANSWERS)
    organisation = add_organisation(db, "EXAMPLE - Clinic", "medical", "en")
    client.post(f"/s/{interview.reference}/person", data={"name": NAME, "contact": CONTACT, "date_of_birth": BIRTH})
    response = client.post(
        f"/s/{interview.reference}/refer",
        data={"organisation": organisation, "priority": "emergency", "consent": "no", "reason": REASON},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    screening = cases.find(db, interview.reference)
    assert person.stored(db, screening["id"])["name"] == NAME
    assert referrals.for_case(db, screening["id"])[0]["basis_reason"] == REASON
    page = client.get(f"/s/{interview.reference}").get_data(as_text=True)
    assert CONCERN in page
    raw = file_bytes(app)
    assert b"documents_confiscated" in raw  # the search does see plain data
    for secret in (NAME, CONTACT, BIRTH, CONCERN, REASON, "Sokha", "stranger who waited"):
        assert secret.encode() not in raw, secret


def test_demo_data_is_encrypted_like_real_data(runner, db):
    result = runner.invoke(args=["demo", "seed", "--count", "10", "--seed", "3"])
    assert result.exit_code == 0, result.output
    values = raw_values(db)
    assert values
    assert all(value.startswith(crypto.PREFIX) for value in values)
    assert not [r for r in db.query("select evidence from screenings") if not r["evidence"].startswith("enc1:")]
    for row in db.query("select reference from screenings"):
        assert json.loads(cases.find(db, row["reference"])["evidence"])["stage"]


# --- changing the key -----------------------------------------------------------------


def _tokens(values):
    return [value[len(crypto.PREFIX) :].encode() for value in values]


def test_rotating_the_key_keeps_every_value_readable_and_the_old_key_opens_nothing(app, runner, db, case, tmp_path):
    key_file = tmp_path / crypto.KEY_FILE
    old_key = key_file.read_text().strip()
    old_values = raw_values(db)
    result = runner.invoke(args=["data", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert "Back up this file now" in result.output
    keys = key_file.read_text().split()
    assert len(keys) == 2
    assert keys[1] == old_key
    assert key_file.stat().st_mode & 0o777 == 0o600
    new_values = raw_values(db)
    assert len(new_values) == len(old_values) == 8
    for token in _tokens(new_values):
        with pytest.raises(InvalidToken):
            Fernet(old_key).decrypt(token)
        Fernet(keys[0]).decrypt(token)
    details = person.stored(db, case["id"])
    assert (details["name"], details["contact"], details["date_of_birth"]) == (NAME, CONTACT, BIRTH)
    assert cases.answers(db, case["id"])["officer_concern_reason"] == CONCERN
    assert json.loads(cases.find(db, case["reference"])["evidence"])["officer_concern"] == CONCERN
    assert referrals.for_case(db, case["id"])[0]["basis_reason"] == REASON
    with app.app_context():
        written_after = crypto.encrypt("a new value")
    with pytest.raises(InvalidToken):
        Fernet(old_key).decrypt(written_after[len(crypto.PREFIX) :].encode())
    raw = file_bytes(app)
    assert not [token for token in _tokens(old_values) if token in raw], "an old token is left in the files"
    entry = audit.recent(db, 1)[0]
    assert (entry["action"], json.loads(entry["detail"])) == ("key_rotate", {"values": 8})
    assert entry["username"].startswith("shell:")


def test_a_rotated_key_file_still_opens_a_backup_made_before(app, runner, db, case, tmp_path):
    backup = tmp_path / "before.db"
    assert runner.invoke(args=["data", "backup", str(backup)]).exit_code == 0
    assert runner.invoke(args=["data", "rotate-key"]).exit_code == 0
    restored = tmp_path / "restored"
    restored.mkdir()
    os.replace(backup, restored / "screening.db")
    (restored / crypto.KEY_FILE).write_text((tmp_path / crypto.KEY_FILE).read_text())
    other = create_app({"SCREENING_DATA_DIR": restored, "TESTING": True})
    with other.app_context():
        from screening.db.connection import get_db

        assert person.stored(get_db(), case["id"])["name"] == NAME


def test_a_running_server_notices_the_new_key_file(app, runner, db, case, tmp_path):
    ring = app.extensions[crypto.EXTENSION]
    before = ring.keys
    other = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    assert other.test_cli_runner().invoke(args=["data", "rotate-key"]).exit_code == 0
    assert ring.keys != before
    assert ring.keys[1:] == before
    with app.app_context():
        assert person.stored(db, case["id"])["name"] == NAME


def test_a_rotation_that_fails_rolls_back_and_loses_nothing(app, runner, db, case, tmp_path, monkeypatch):
    before = raw_values(db)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    result = runner.invoke(args=["data", "rotate-key"])
    assert result.exit_code != 0
    assert raw_values(db) == before
    monkeypatch.undo()
    assert len((tmp_path / crypto.KEY_FILE).read_text().split()) == 2
    fresh = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    with fresh.app_context():
        assert person.stored(db, case["id"])["name"] == NAME
        assert crypto.encrypt("x")


def test_with_keys_from_the_environment_rotation_uses_the_first_one(monkeypatch, tmp_path):
    old = Fernet.generate_key().decode()
    monkeypatch.setenv("SCREENING_ENCRYPTION_KEY", old)
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    from screening.db.connection import connect
    from tests.conftest import create_user

    db = connect(app.config["SCREENING_DATABASE"])
    case = identified_case(db, create_user(db, "officer", "a long test password", "officer"), add_organisation(db))
    new = Fernet.generate_key().decode()
    monkeypatch.setenv("SCREENING_ENCRYPTION_KEY", f"{new},{old}")
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    result = app.test_cli_runner().invoke(args=["data", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert "first key of SCREENING_ENCRYPTION_KEY" in result.output
    assert not (tmp_path / crypto.KEY_FILE).exists()
    for token in _tokens(raw_values(db)):
        Fernet(new).decrypt(token)
        with pytest.raises(InvalidToken):
            Fernet(old).decrypt(token)
    assert person.stored(db, case["id"])["name"] == NAME
    db.close()


def test_rotating_to_a_key_the_environment_does_not_hold_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("SCREENING_ENCRYPTION_KEY", Fernet.generate_key().decode())
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    with app.app_context():
        from screening.db.connection import get_db

        with pytest.raises(crypto.CryptoError, match="put the new key first"):
            crypto.rotate(get_db(), Fernet.generate_key().decode(), actor=Actor.shell())


def test_rotating_from_code_writes_the_key_file_before_re_encrypting(app, db, case, tmp_path):
    fresh = keys.new_key()
    with app.app_context():
        assert crypto.rotate(db, fresh, actor=Actor.shell()) == 8
    written = (tmp_path / crypto.KEY_FILE).read_text().split()
    assert written[0] == fresh
    assert len(written) == 2
    assert person.stored(db, case["id"])["name"] == NAME
