"""The audit trail: append-only, hash-chained, and a tampered or removed entry is found."""

import hashlib
import json
import sqlite3
import threading

import pytest
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

from screening.db.connection import connect
from screening.protection import audit

# The actions the trail must know, as the other parts of the app call them.
EXPECTED_ACTIONS = {
    "check_document",
    "trust_installation",
    "untrust_installation",
    "rotate_signing_key",
    "import_referral",
    "view_received",
    "received_followup",
    "export_stats",
    "note",
    "followup",
    "link",
    "login",
    "login_failed",
    "lockout",
    "logout",
    "view_case",
    "edit_answers",
    "consent",
    "stop",
    "complete",
    "refer",
    "export_pdf",
    "export_csv",
    "import_csv",
    "erase",
    "purge",
    "account_create",
    "account_change",
    "password_change",
    "directory_change",
    "key_rotate",
    "backup",
    "reauth",
    "case_create",
    "case_import",
    "reopen",
    "view_person",
    "edit_person",
    "demo_seed",
    "person_answers",
    "handover",
    "handover_back",
    "handover_locked",
    "unlock_case",
    "recording_add",
    "recording_decide",
    "recordings_import",
}
AT_POST = audit.Actor(7, "somchai", "10.0.0.5")
NO_ADDRESS = audit.Actor(7, "somchai")


def drop_triggers(db):
    """Do what someone with the database file could do: remove the append-only guard."""
    db.execute("drop trigger audit_no_update")
    db.execute("drop trigger audit_no_delete")


@pytest.fixture
def trail(db):
    """Return the ids of five entries of different kinds."""
    return [
        audit.record(db, "login", AT_POST),
        audit.record(db, "view_case", AT_POST, reference="K7QD-9XPM-3HTA"),
        audit.record(db, "refer", NO_ADDRESS, reference="K7QD-9XPM-3HTA", detail={"priority": "emergency"}),
        audit.record(db, "export_pdf", NO_ADDRESS, reference="AAAA-BBBB-CCCC", detail={"lang": "km"}),
        audit.record(db, "logout", AT_POST),
    ]


def test_every_action_has_a_stable_code_and_a_translatable_label(app):
    assert set(audit.ACTIONS) == EXPECTED_ACTIONS
    for code, label in audit.ACTIONS.items():
        assert code.isascii()
        assert code == code.lower().replace(" ", "_")
        assert isinstance(label, LazyString)
    with app.app_context(), force_locale("en"):
        labels = [str(label) for label in audit.ACTIONS.values()]
    assert len(set(labels)) == len(labels)


def test_an_entry_is_read_back_with_every_field(db):
    entry_id = audit.record(db, "refer", AT_POST, reference="K7QD-9XPM-3HTA", detail={"priority": "urgent"})
    row = next(db.query("select * from audit where id = ?", [entry_id]))
    assert row["at"].endswith("+00:00")
    assert (row["user_id"], row["username"], row["address"]) == (7, "somchai", "10.0.0.5")
    assert (row["action"], row["reference"]) == ("refer", "K7QD-9XPM-3HTA")
    assert json.loads(row["detail"]) == {"priority": "urgent"}
    assert row["prev_hash"] == audit.GENESIS == "0" * 64


def test_each_entry_chains_to_the_one_before(db, trail):
    rows = list(db.query("select * from audit order by id"))
    assert [r["id"] for r in rows] == trail
    previous = audit.GENESIS
    for row in rows:
        assert row["prev_hash"] == previous
        # The contract, as audit.py documents it: SHA-256 over the compact UTF-8 JSON array
        # [prev_hash, id, at, user_id, username, address, action, reference, detail].
        fields = [row[name] for name in ("prev_hash", "id", "at", "user_id", "username", "address", "action")]
        fields += [row["reference"], row["detail"]]
        expected = hashlib.sha256(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()
        assert row["hash"] == expected
        previous = row["hash"]
    assert audit.verify(db) == (True, None)
    assert audit.head(db) == (5, previous)


def test_an_empty_trail_verifies(db):
    assert audit.verify(db) == (True, None)
    assert audit.head(db) == (0, audit.GENESIS)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "delete_everything"}, "unknown audit action"),
        ({"action": "erase", "detail": {"name": "Sokha"}}, "may not hold name"),
        ({"action": "refer", "detail": {"items": [{"reason": "x"}]}}, "may not hold reason"),
        ({"action": "note", "detail": {"text": "She said..."}}, "may not hold text"),
        ({"action": "edit_person", "detail": {"date_of_birth": "2001-01-01"}}, "may not hold date_of_birth"),
        ({"action": "refer", "detail": {"basis_reason": "x"}}, "may not hold basis_reason"),
        ({"action": "complete", "detail": {"officer_concern": "x"}}, "may not hold officer_concern"),
        ({"action": "consent", "detail": {"note": "x" * 2000}}, "longer than"),
        ({"action": "login", "detail": {"password": "hunter2"}}, "may not hold password"),
    ],
)
def test_an_entry_that_is_unknown_or_would_hold_identifying_data_is_refused(db, kwargs, message):
    with pytest.raises(ValueError, match=message):
        audit.record(db, actor=NO_ADDRESS, **kwargs)
    assert next(db.query("select count(*) as n from audit"))["n"] == 0


@pytest.mark.parametrize(
    "sql",
    ["update audit set username = 'someone else' where id = 2", "delete from audit where id = 2"],
)
def test_the_database_refuses_to_change_or_remove_an_entry(db, trail, sql):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(sql)
    assert audit.verify(db) == (True, None)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("at", "2020-01-01T00:00:00+00:00"),
        ("user_id", 8),
        ("user_id", None),
        ("username", "nobody"),
        ("address", "192.168.1.1"),
        ("action", "view_case"),
        ("reference", "ZZZZ-ZZZZ-ZZZZ"),
        ("reference", None),
        ("detail", '{"lang":"th"}'),
        ("prev_hash", "f" * 64),
        ("hash", "0" * 64),
    ],
)
def test_an_edited_entry_is_found_even_with_the_triggers_dropped(db, trail, column, value):
    drop_triggers(db)
    db.execute(f"update audit set {column} = ? where id = ?", [value, trail[3]])  # noqa: S608
    assert audit.verify(db) == (False, trail[3])


def test_an_entry_whose_hash_was_recomputed_breaks_the_next_link(db, trail):
    drop_triggers(db)
    row = next(db.query("select * from audit where id = ?", [trail[1]]))
    row["reference"] = "ZZZZ-ZZZZ-ZZZZ"
    db.execute(
        "update audit set reference = ?, hash = ? where id = ?",
        [row["reference"], audit.row_hash(row["prev_hash"], row), trail[1]],
    )
    assert audit.verify(db) == (False, trail[2])


@pytest.mark.parametrize(("position", "named"), [(0, 1), (2, 3), (3, 4)])
def test_a_removed_entry_is_found_naming_the_entry_after_the_gap(db, trail, position, named):
    drop_triggers(db)
    db.execute("delete from audit where id = ?", [trail[position]])
    assert audit.verify(db) == (False, trail[named])


def test_the_shell_command_says_the_chain_is_intact(runner, db, trail):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "5 entries, chain intact" in result.output
    assert audit.head(db)[1] in result.output


def test_the_shell_command_names_the_first_broken_entry_and_fails(runner, db, trail):
    drop_triggers(db)
    db.execute("update audit set detail = null where id = ?", [trail[2]])
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"broken at entry {trail[2]}" in result.output


def test_recent_lists_newest_first_page_by_page_with_labels(app, db, trail):
    with app.app_context():
        first = audit.recent(db, 2)
        second = audit.recent(db, 2, 2)
        assert [r["id"] for r in first] == [trail[4], trail[3]]
        assert [r["id"] for r in second] == [trail[2], trail[1]]
        assert str(first[0]["label"]) == "Logged out"


def test_for_case_lists_one_cases_entries_oldest_first(db, trail):
    rows = audit.for_case(db, "K7QD-9XPM-3HTA")
    assert [(r["id"], r["action"]) for r in rows] == [(trail[1], "view_case"), (trail[2], "refer")]
    assert audit.for_case(db, "NONE-NONE-NONE") == []


def stop_that_fails(db):
    with db.atomic():
        audit.record(db, "stop", NO_ADDRESS, reference="K7QD-9XPM-3HTA")
        raise RuntimeError("the stop failed")


def test_an_entry_made_inside_a_transaction_is_undone_with_it(db, trail):
    with pytest.raises(RuntimeError):
        stop_that_fails(db)
    assert [r["id"] for r in db.query("select id from audit order by id")] == trail
    audit.record(db, "complete", NO_ADDRESS, reference="K7QD-9XPM-3HTA")
    assert audit.verify(db) == (True, None)


def test_writers_appending_at_once_keep_one_chain(app):
    path = app.config["SCREENING_DATABASE"]
    errors = []

    def append(worker):
        conn = connect(path)
        try:
            for n in range(25):
                audit.record(conn, "view_case", audit.Actor(worker, f"w{worker}"), detail={"n": n})
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = connect(path)
    assert audit.verify(db) == (True, None)
    assert audit.head(db)[0] == 100
    db.close()
