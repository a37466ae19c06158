"""A database made by an earlier release opens and upgrades: every row kept, read and protected under today's rules.

``fixtures/database-m007.sql`` is a dump of a database built by the release
before the package was regrouped (schema m001 to m007), holding fake data of
every kind: accounts in two organisations, a completed case with the person's
details, the officer's concern, a referral declined with a reason and a note, a
stopped case and a draft. ``database-m007.key`` is its (fake) encryption key.
"""

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from screening import create_app
from screening.db.connection import connect
from screening.db.migrations import migrations
from screening.desk import facts
from screening.protection import audit
from tests.conftest import PASSWORD, Interview

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONCERN = "Fixture concern: bruises on both arms"
NOTE = "Fixture note: asked for a female interpreter"
DECLINED = "Fixture decline: no beds"


@pytest.fixture
def upgraded(tmp_path):
    """Return (app, db) on a copy of the earlier release's database, upgraded by starting the app."""
    database = tmp_path / "screening.db"
    conn = sqlite3.connect(database)
    conn.executescript((FIXTURES / "database-m007.sql").read_text())
    conn.close()
    key = tmp_path / "encryption.key"
    shutil.copy(FIXTURES / "database-m007.key", key)
    os.chmod(key, 0o600)
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True, "WTF_CSRF_ENABLED": False})
    db = connect(database)
    yield app, db
    db.close()


def case_references(db):
    return {row["status"]: row["reference"] for row in db.query("select status, reference from screenings")}


def test_every_migration_is_applied_once_and_the_data_is_all_there(upgraded):
    _app, db = upgraded
    assert migrations.pending(db) == []
    applied = [row["name"] for row in db.query("select name from _sqlite_migrations order by id")]
    assert applied[:7] == [m.name for m in migrations._migrations][:7]
    assert applied[-3:] == ["m009_referrals_that_travel", "m010_collected_submissions", "m011_handover_and_recordings"]
    counts = {table: db[table].count for table in ("users", "screenings", "answers", "referrals", "notes", "audit")}
    assert counts["users"] == 4
    assert counts["screenings"] == 3
    assert counts["referrals"] == 1
    assert counts["notes"] == 1
    assert audit.verify(db) == (True, None)


def test_each_case_takes_its_officers_organisation_and_answers_in_words_are_flagged(upgraded):
    _app, db = upgraded
    assert {row["organisation"] for row in db.query("select organisation from screenings")} == {"Border Police"}
    flagged = [row["question_id"] for row in db.query("select question_id from answers where free_text = 1")]
    assert flagged == ["officer_concern_reason"]


def test_the_statistics_are_counted_again_under_the_new_scopes_as_the_live_code_counts_them(upgraded):
    _app, db = upgraded
    migrated = sorted(tuple(row.values()) for row in db.query("select * from fact_counts where n > 0"))
    facts.recount(db)
    assert sorted(tuple(row.values()) for row in db.query("select * from fact_counts where n > 0")) == migrated
    assert ("org:Border Police", "outcome", "presumed", 1) in migrated
    assert ("officer:1:Border Police", "referral_status", "declined", 1) in migrated


def test_the_supervisor_reads_the_upgraded_case_and_an_outsider_does_not(upgraded):
    app, db = upgraded
    completed = case_references(db)["completed"]
    supervisor = Interview(app.test_client())
    assert supervisor.login("supervisor", PASSWORD).status_code == 302
    page = supervisor.client.get(f"/s/{completed}").get_data(as_text=True)
    for text in (CONCERN, NOTE, DECLINED):
        assert text in page
    person = supervisor.client.get(f"/s/{completed}/person").get_data(as_text=True)
    assert "Fixture Person" in person
    stranger = Interview(app.test_client())
    stranger.login("stranger", PASSWORD)
    assert stranger.client.get(f"/s/{completed}").status_code == 404


def test_an_upgraded_case_is_erased_whole(upgraded):
    app, db = upgraded
    completed = case_references(db)["completed"]
    officer = Interview(app.test_client())
    officer.login("officer", PASSWORD)
    assert officer.client.post(f"/s/{completed}/erase", data={"confirm": "y"}).status_code == 302
    page = officer.client.get(f"/s/{completed}").get_data(as_text=True)
    for text in (CONCERN, NOTE, DECLINED):
        assert text not in page
    entry = next(db.query("select detail from audit where action = 'erase'"))
    assert json.loads(entry["detail"])["erased"] == {
        "people": 1,
        "text_answers": 1,
        "concerns": 1,
        "decline_reasons": 1,
        "notes": 1,
    }


def test_the_stopped_case_goes_on_and_the_draft_resumes(upgraded):
    app, db = upgraded
    references = case_references(db)
    officer = Interview(app.test_client())
    officer.login("officer", PASSWORD)
    resumed = officer.client.post(f"/s/{references['stopped']}/resume")
    assert "/q/" in resumed.headers["Location"]
    draft = officer.client.post(f"/s/{references['draft']}/resume")
    assert "/q/" in draft.headers["Location"]


def test_the_upgrade_gives_the_earlier_referral_its_own_random_id_and_its_document_is_signed(upgraded, tmp_path):
    app, db = upgraded
    referral = next(
        db.query("select r.id, r.uid, s.reference from referrals r join screenings s on s.id = r.screening_id")
    )
    assert re.fullmatch(r"[0-9a-f]{32}", referral["uid"])
    result = app.test_cli_runner().invoke(
        args=["referral", "pdf", referral["reference"], "-o", str(tmp_path / "referral.pdf")]
    )
    assert result.exit_code == 0, result.output
    verified = app.test_cli_runner().invoke(args=["referral", "verify", str(tmp_path / "referral.pdf")])
    assert verified.exit_code == 0, verified.output
    assert f'"referral_id": "{referral["uid"]}"' in verified.output
