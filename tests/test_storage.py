"""The database: case references, connection settings, writers taking turns, migrations, and answer rows."""

import json
import os
import re
import sqlite3
import threading
from pathlib import Path

import pytest

from screening import create_app
from screening.db import connection as storage
from screening.db.connection import connect, get_db, migrate, write_transaction
from screening.db.migrations import migrations
from screening.db.references import REFERENCE_ALPHABET, new_reference, normalise_reference
from screening.instrument import questionnaire
from screening.views import interview as interview_views

REFERENCE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
CONFUSABLE = "0O1IL"
DRAWS = 2000

# --- references -----------------------------------------------------------------------


def test_the_reference_alphabet_leaves_out_characters_that_are_confused_when_read_aloud():
    assert not set(CONFUSABLE) & set(REFERENCE_ALPHABET)
    assert len(REFERENCE_ALPHABET) == len(set(REFERENCE_ALPHABET)) == 31


def test_a_new_reference_is_three_groups_of_four_from_the_alphabet():
    for _ in range(200):
        reference = new_reference()
        assert REFERENCE.match(reference), reference
        assert set(reference.replace("-", "")) <= set(REFERENCE_ALPHABET)
        assert not set(CONFUSABLE) & set(reference)


def test_many_new_references_are_all_different():
    drawn = [new_reference() for _ in range(DRAWS)]
    assert len(set(drawn)) == DRAWS


def test_new_references_use_the_whole_alphabet():
    seen = set("".join(new_reference() for _ in range(DRAWS)).replace("-", ""))
    assert seen == set(REFERENCE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("K7QD-9XPM-3HTA", "K7QD-9XPM-3HTA"),
        ("k7qd-9xpm-3hta", "K7QD-9XPM-3HTA"),
        ("K7QD9XPM3HTA", "K7QD-9XPM-3HTA"),
        ("k7qd9xpm3hta", "K7QD-9XPM-3HTA"),
        ("K7QD 9XPM 3HTA", "K7QD-9XPM-3HTA"),
        ("  k7qd 9xpm-3HTA \n", "K7QD-9XPM-3HTA"),
        ("K7Q D9X PM3 HTA", "K7QD-9XPM-3HTA"),
    ],
)
def test_a_typed_reference_is_read_in_lower_case_without_dashes_or_with_spaces(typed, expected):
    assert normalise_reference(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("K7QD-9XPM-3HT", id="eleven"),
        pytest.param("K7QD-9XPM-3HTAB", id="thirteen"),
        pytest.param("K7QD-9XPM", id="two-groups"),
        pytest.param("", id="empty"),
        pytest.param(None, id="none"),
        pytest.param("K7QD-9XPM-3HT0", id="zero"),
        pytest.param("K7QD-9XPM-3HTO", id="letter-o"),
        pytest.param("K7QD-9XPM-3HT1", id="one"),
        pytest.param("K7QD-9XPM-3HTI", id="letter-i"),
        pytest.param("K7QD-9XPM-3HTL", id="letter-l"),
        pytest.param("k7qd-9xpm-3htl", id="lower-l"),
        pytest.param("K7QD-9XPM-3HTÄ", id="accented"),
        pytest.param("K7QD-9XPM-3HT๓", id="thai-digit"),
    ],
)
def test_a_reference_of_the_wrong_length_or_with_other_characters_is_rejected(typed):
    assert normalise_reference(typed) is None


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("K7QD-9XPM-3Hß", id="sharp-s-upper-cases-to-two-letters"),
        pytest.param("K7QD-9XPM-3Hﬀ", id="ligature-upper-cases-to-two-letters"),
    ],
)
def test_a_character_outside_the_alphabet_is_rejected_even_when_its_upper_case_is_two_letters(typed):
    assert normalise_reference(typed) is None


# --- the connection -------------------------------------------------------------------


def test_the_database_is_in_wal_mode_with_foreign_keys_on(app):
    with app.app_context():
        db = get_db()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_an_answer_for_a_screening_that_does_not_exist_is_refused(app):
    with app.app_context():
        db = get_db()
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            db.execute(
                "insert into answers (screening_id, question_id, value, answered_at) values (?, ?, ?, ?)",
                [999, "danger_now", '"no"', "2025-01-01T00:00:00+00:00"],
            )


def test_a_thread_keeps_its_connection_and_a_request_leaves_nothing_uncommitted(app, db, users):
    with app.test_request_context():
        first = get_db()
        first.conn.execute("BEGIN IMMEDIATE")
        first.conn.execute("update users set organisation = 'Never committed'")
    with app.test_request_context():
        second = get_db()
        assert second is first
        assert not second.conn.in_transaction
    assert {row["organisation"] for row in db.query("select organisation from users")} == {None}
    other = create_app({"SCREENING_DATA_DIR": Path(app.config["SCREENING_DATABASE"]).parent / "other"})
    with other.test_request_context():
        assert get_db() is not first
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        first.execute("select 1")


def test_a_connection_inherited_through_fork_is_left_open_to_its_parent_and_not_used(app, monkeypatch):
    with app.test_request_context():
        inherited = get_db()
    real_pid = os.getpid()
    monkeypatch.setattr(storage.os, "getpid", lambda: real_pid + 1)  # as in a forked worker
    with app.test_request_context():
        own = get_db()
    assert own is not inherited
    assert inherited.execute("select 1").fetchone() == (1,)  # not closed under the parent
    assert inherited in storage._inherited


# --- writers taking turns -------------------------------------------------------------


def _hold_write_lock(path, held, seconds):
    """Take the write lock on another connection, say so, keep it ``seconds``, then commit."""
    other = connect(path)
    other.conn.execute("BEGIN IMMEDIATE")
    other.conn.execute("update users set locked_until = null")
    held.set()
    threading.Event().wait(seconds)
    other.conn.execute("COMMIT")
    other.close()


def test_a_plain_transaction_that_reads_first_fails_at_once_when_another_writer_holds_the_lock(app, db, users):
    # Why write_transaction exists: SQLite cannot wait to upgrade a read to a write.
    other = connect(app.config["SCREENING_DATABASE"])
    db.conn.execute("BEGIN")
    db.execute("select count(*) from users").fetchone()
    other.conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        db.conn.execute("update users set locked_until = null")
    other.conn.execute("ROLLBACK")
    other.close()
    db.conn.execute("ROLLBACK")


def test_a_write_transaction_waits_for_another_writer_and_keeps_writers_out_until_it_ends(app, db, users):
    path = app.config["SCREENING_DATABASE"]
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, held, 0.3))
    holder.start()
    held.wait(5)
    with write_transaction(db):
        db.execute("select count(*) from users").fetchone()
        db.execute("update users set organisation = 'Post A' where username = 'officer'")
        intruder = sqlite3.connect(str(path), timeout=0.05)
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            intruder.execute("update users set organisation = 'Post B' where username = 'officer'")
        intruder.close()
    holder.join()
    assert next(db.query("select organisation from users where username = 'officer'"))["organisation"] == "Post A"


def test_finishing_an_interview_while_another_request_writes_waits_its_turn(app, interview, db, monkeypatch):
    interview.start()
    interview.run({}, until="officer_concern")
    holder = None
    finish = interview_views._finish

    def finish_as_another_request_starts_writing(state):
        # The last page's answers are saved; now another officer's request takes the lock.
        nonlocal holder
        held = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(app.config["SCREENING_DATABASE"], held, 0.3))
        holder.start()
        held.wait(5)
        return finish(state)

    monkeypatch.setattr(interview_views, "_finish", finish_as_another_request_starts_writing)
    response = interview.answer("officer_concern", officer_concern="no")
    holder.join()
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert response.headers["Location"] == f"/s/{interview.reference}"
    screening = next(db.query("select id, status from screenings where reference = ?", [interview.reference]))
    assert screening["status"] == "completed"
    assert next(db.query("select count(*) as n from facts where screening_id = ?", [screening["id"]]))["n"] == 1
    last = next(db.query("select action, reference from audit order by id desc limit 1"))
    assert last == {"action": "complete", "reference": interview.reference}


# --- migrations -----------------------------------------------------------------------


def test_migrations_applied_again_are_recorded_once_each(app, db):
    path = app.config["SCREENING_DATABASE"]
    migrate(path)
    migrate(path)
    migrations.apply(db)
    rows = list(db.query("select name, count(*) as n from _sqlite_migrations group by name order by name"))
    assert rows == [{"name": m.name, "n": 1} for m in sorted(migrations._migrations, key=lambda m: m.name)]
    assert len(rows) >= 2
    assert migrations.pending(db) == []


def test_migrating_again_keeps_the_data(app, db, users):
    migrate(app.config["SCREENING_DATABASE"])
    names = [row["username"] for row in db.query("select username from users order by id")]
    assert names == ["officer", "other", "supervisor", "admin"]
    assert {"_sqlite_migrations", "users", "setup_tokens", "screenings", "answers"} <= set(db.table_names())


# --- what an answer row holds ---------------------------------------------------------


def test_answers_store_question_ids_and_json_values_never_the_text_shown(interview, db):
    interview.start()
    for page_id, values in [
        ("about_you", {"sex": "female", "nationality": "KHM"}),
        ("channel", {"channel": ["facebook", "telegram"]}),
        ("age", {"age": "30"}),
        ("stage", {"stage": "in_transit"}),
    ]:
        response = interview.answer(page_id, **values)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    screening = next(db["screenings"].rows_where("reference = ?", [interview.reference]))
    rows = {
        row["question_id"]: row["value"]
        for row in db.query("select question_id, value from answers where screening_id = ?", [screening["id"]])
    }
    assert rows == {
        "possibly_minor": '"no"',
        "sex": '"female"',
        "nationality": '"KHM"',
        "channel": '["facebook", "telegram"]',
        "age": "30",
        "stage": '"in_transit"',
    }
    assert {qid: json.loads(value) for qid, value in rows.items()}["age"] == 30
    shown = [
        str(questionnaire.BY_ID["sex"].choice("female").text),
        str(questionnaire.BY_ID["nationality"].choice("KHM").text),
        str(questionnaire.BY_ID["channel"].choice("facebook").text),
        str(questionnaire.BY_ID["stage"].choice("in_transit").text),
    ]
    for text in shown:
        assert not any(text in value for value in rows.values()), text
    assert screening["bank_version"] == questionnaire.VERSION


def test_answering_a_page_again_replaces_the_stored_value(interview, db):
    interview.start()
    interview.answer("danger_now", danger_now="no")
    interview.answer("danger_now", danger_now="declined")
    rows = list(db.query("select question_id, value from answers where question_id = 'danger_now'"))
    assert rows == [{"question_id": "danger_now", "value": '"declined"'}]
