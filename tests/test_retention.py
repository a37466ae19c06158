"""Keeping data only as long as needed: purge, erasure on request, and backups."""

import json
import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from screening import create_app
from screening.cases import casework
from screening.cases import records as cases
from screening.config import Settings
from screening.protection import audit, crypto, retention
from screening.protection.audit import Actor
from screening.protection.backup import backup
from screening.referral import followup, person, referrals
from tests.conftest import actor, add_organisation
from tests.test_crypto import BIRTH, CONCERN, CONTACT, DECLINED, NAME, NOTE, REASON, file_bytes, identified_case

SHELL = Actor.shell()
# One case of identified_case holds one of every kind of identifying data.
EVERY_KIND = {"people": 1, "text_answers": 1, "concerns": 1, "reasons": 1, "decline_reasons": 1, "notes": 1}

TODAY = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
IDENTIFYING_TABLES = ("people", "answers", "screenings", "referrals")


def ended(db, case, days_ago):
    """Backdate when a case ended."""
    db.execute(
        "update screenings set ended_at = ? where id = ?", [(TODAY - timedelta(days=days_ago)).isoformat(), case["id"]]
    )


def snapshot(db):
    """Return every row of every table but the audit trail, to compare before and after."""
    tables = [t for t in db.table_names() if t not in ("audit", "_sqlite_migrations")]
    return {t: list(db.query(f"select * from [{t}] order by rowid")) for t in tables}  # noqa: S608


def stored_tokens(db, case):
    """Return the stored (encrypted) identifying values of one case."""
    rows = [
        *db.query("select name, contact, date_of_birth from people where screening_id = ?", [case["id"]]),
        *db.query(
            "select value from answers where screening_id = ? and question_id = 'officer_concern_reason'", [case["id"]]
        ),
        *db.query("select evidence from screenings where id = ?", [case["id"]]),
        *db.query("select basis_reason from referrals where screening_id = ?", [case["id"]]),
        *db.query(
            "select reason from referral_events where referral_id in (select id from referrals where screening_id = ?)",
            [case["id"]],
        ),
        *db.query("select text from notes where screening_id = ?", [case["id"]]),
    ]
    return [value for row in rows for value in row.values() if value]


@pytest.fixture
def organisation(db):
    return add_organisation(db)


@pytest.fixture
def old_and_new(db, users, organisation):
    """Return (old, new): a case ended 120 days ago and one ended 10 days ago, both fully identified."""
    old = identified_case(db, users["officer"], organisation, " old")
    new = identified_case(db, users["officer"], organisation, " new")
    ended(db, old, 120)
    ended(db, new, 10)
    return old, new


def assert_nothing_identifying_left(db, case):
    assert person.stored(db, case["id"]) == {"name": "", "contact": "", "date_of_birth": ""}
    assert "officer_concern_reason" not in cases.answers(db, case["id"])
    assert json.loads(cases.find(db, case["reference"])["evidence"])["officer_concern"] is None
    assert all(r["basis_reason"] is None for r in referrals.for_case(db, case["id"]))
    for referral in referrals.for_case(db, case["id"]):
        assert all(event["reason"] is None for event in followup.events(db, referral["id"]))
    assert casework.notes(db, case["id"]) == []
    assert retention.identifying_data(db, case["id"]) == {}


# --- which cases ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_ago", "days", "purged"),
    [
        (120, 90, True),
        (91, 90, True),
        (89, 90, False),
        (10, 90, False),
        (31, 30, True),
        (29, 30, False),
        (400, 365, True),
        (364, 365, False),
    ],
)
def test_a_case_is_purged_only_once_it_ended_longer_ago_than_the_retention_period(
    db, users, organisation, days_ago, days, purged
):
    case = identified_case(db, users["officer"], organisation)
    ended(db, case, days_ago)
    summary = retention.purge(db, days, today=TODAY, actor=SHELL)
    assert summary["cases"] == int(purged)
    assert (person.stored(db, case["id"])["name"] == "") is purged


def test_a_draft_that_never_ended_is_not_purged(db, users):
    draft = cases.create(db, actor(db), "Test post", "en", "none")
    cases.save_answers(db, actor(db), draft, "officer", {"officer_concern": "yes", "officer_concern_reason": CONCERN})
    db.execute("update screenings set created_at = '2020-01-01T00:00:00+00:00' where id = ?", [draft["id"]])
    assert retention.purge(db, 90, today=TODAY, actor=SHELL)["cases"] == 0
    assert cases.answers(db, draft["id"])["officer_concern_reason"] == CONCERN


def test_a_refused_case_without_evidence_is_handled(db, users):
    refused = cases.create(db, actor(db), "Test post", "en", "none")
    cases.record_consent(db, actor(db), refused, False)
    ended(db, refused, 200)
    assert retention.purge(db, 90, today=TODAY, actor=SHELL)["cases"] == 0


def test_the_retention_period_comes_from_the_setting(monkeypatch, tmp_path):
    assert Settings().retention_days == 90
    monkeypatch.setenv("SCREENING_RETENTION_DAYS", "30")
    assert Settings().retention_days == 30
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    with app.app_context():
        assert retention.retention_days() == 30
        from screening.db.connection import get_db

        assert retention.purge(get_db(), dry_run=True, actor=SHELL)["days"] == 30


def test_today_may_be_a_date(db, old_and_new):
    summary = retention.purge(db, 90, dry_run=True, today=date(2026, 6, 1), actor=SHELL)
    assert summary["cutoff"].startswith("2026-03-03")
    assert summary["cases"] == 1


# --- what is erased, what is kept -----------------------------------------------------


def test_purge_erases_identifying_data_and_keeps_what_statistics_need(db, old_and_new):
    old, new = old_and_new
    answers_before = cases.answers(db, old["id"])
    row_before = next(
        db.query("select outcome, rule, assessment, status, urgent, child from screenings where id = ?", [old["id"]])
    )
    summary = retention.purge(db, 90, today=TODAY, actor=SHELL)
    assert summary["cases"] == 1
    assert summary["references"] == [old["reference"]]
    assert summary["erased"] == EVERY_KIND
    assert_nothing_identifying_left(db, old)
    kept = {k: v for k, v in answers_before.items() if k != "officer_concern_reason"}
    assert cases.answers(db, old["id"]) == kept
    assert (
        next(
            db.query(
                "select outcome, rule, assessment, status, urgent, child from screenings where id = ?", [old["id"]]
            )
        )
        == row_before
    )
    assert next(db.query("select count(*) as n from referrals where screening_id = ?", [old["id"]]))["n"] == 2
    assert person.stored(db, new["id"])["name"] == NAME + " new"
    assert cases.answers(db, new["id"])["officer_concern_reason"] == CONCERN + " new"
    assert json.loads(cases.find(db, new["reference"])["evidence"])["officer_concern"] == CONCERN + " new"
    assert referrals.for_case(db, new["id"])[0]["basis_reason"] == REASON + " new"


def test_purge_twice_erases_nothing_the_second_time(db, old_and_new):
    assert retention.purge(db, 90, today=TODAY, actor=SHELL)["cases"] == 1
    before = snapshot(db)
    again = retention.purge(db, 90, today=TODAY, actor=SHELL)
    assert (again["cases"], again["erased"], again["references"]) == (0, {}, [])
    assert snapshot(db) == before


def test_purge_is_recorded_in_the_audit_trail_with_the_references_and_nothing_identifying(db, old_and_new):
    old, _new = old_and_new
    retention.purge(db, 90, today=TODAY, actor=SHELL)
    entries = [e for e in audit.recent(db, 10) if e["action"] == "purge"]
    assert {e["reference"] for e in entries} == {old["reference"], None}
    per_case = next(e for e in entries if e["reference"])
    assert json.loads(per_case["detail"]) == {"erased": EVERY_KIND}
    summary = next(e for e in entries if not e["reference"])
    assert json.loads(summary["detail"])["cases"] == 1
    trail = json.dumps(list(db.query("select * from audit")), ensure_ascii=False)
    for secret in (NAME, CONTACT, BIRTH, CONCERN, REASON, NOTE, DECLINED):
        assert secret not in trail
    assert audit.verify(db) == (True, None)


def test_a_dry_run_changes_nothing_and_says_what_a_purge_would_do(db, old_and_new):
    before = snapshot(db)
    audit_before = list(db.query("select * from audit"))
    dry = retention.purge(db, 90, dry_run=True, today=TODAY, actor=SHELL)
    assert snapshot(db) == before
    assert list(db.query("select * from audit")) == audit_before
    real = retention.purge(db, 90, today=TODAY, actor=SHELL)
    assert (dry["cases"], dry["references"], dry["erased"]) == (real["cases"], real["references"], real["erased"])


def test_the_files_keep_no_trace_of_a_purged_case(app, db, old_and_new):
    old, new = old_and_new
    tokens = stored_tokens(db, old)
    assert len(tokens) == 8
    raw = file_bytes(app)
    assert any(token.encode() in raw for token in tokens)  # the search does see them before
    retention.purge(db, 90, today=TODAY, actor=SHELL)
    raw = file_bytes(app)
    assert not [token for token in tokens if token.encode() in raw]
    assert (NAME + " old").encode() not in raw
    assert all(token.encode() in raw for token in stored_tokens(db, new))


def test_erasing_one_case_at_the_persons_request_leaves_the_others(db, old_and_new):
    old, new = old_and_new
    erased = retention.erase(db, Actor(3, "supervisor", "10.0.0.9"), new["id"])
    assert erased == EVERY_KIND
    assert_nothing_identifying_left(db, new)
    assert person.stored(db, old["id"])["name"] == NAME + " old"
    entry = audit.for_case(db, new["reference"])[-1]
    assert (entry["action"], entry["username"], entry["address"]) == ("erase", "supervisor", "10.0.0.9")
    assert retention.erase(db, SHELL, new["id"]) == {}


def test_erasing_a_case_that_does_not_exist_is_an_error(db):
    with pytest.raises(LookupError):
        retention.erase(db, SHELL, 999)
    assert next(db.query("select count(*) as n from audit"))["n"] == 0


def test_a_purged_case_still_shows_its_result(client, db, users, organisation):
    case = identified_case(db, users["officer"], organisation)
    ended(db, case, 200)
    retention.purge(db, 90, today=TODAY, actor=SHELL)
    client.post("/login", data={"username": "officer", "password": "a long test password"})
    response = client.get(f"/s/{case['reference']}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-outcome="presumed"' in page
    assert CONCERN not in page
    assert NAME not in page


@pytest.mark.parametrize("days", [0, -5])
def test_a_retention_period_under_a_day_is_refused(db, old_and_new, days):
    with pytest.raises(ValueError, match="at least one day"):
        retention.purge(db, days, today=TODAY, actor=SHELL)


# --- the shell commands ---------------------------------------------------------------


def test_the_purge_command_says_what_it_erased(runner, db, users, organisation):
    case = identified_case(db, users["officer"], organisation)
    db.execute("update screenings set ended_at = '2020-01-01T00:00:00+00:00' where id = ?", [case["id"]])
    dry = runner.invoke(args=["data", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: 1 case" in dry.output
    assert case["reference"] in dry.output
    assert "Nothing was changed." in dry.output
    assert person.stored(db, case["id"])["name"] == NAME
    result = runner.invoke(args=["data", "purge"])
    assert result.exit_code == 0, result.output
    assert "Erased identifying data from 1 case" in result.output
    assert "Names, contacts and dates of birth: 1" in result.output
    assert person.stored(db, case["id"])["name"] == ""
    assert runner.invoke(args=["data", "purge"]).output.startswith("Erased identifying data from 0 cases")


@pytest.mark.parametrize("days", ["0", "-1", "ninety"])
def test_the_purge_command_refuses_a_nonsense_period(runner, db, old_and_new, days):
    before = snapshot(db)
    result = runner.invoke(args=["data", "purge", "--days", days])
    assert result.exit_code == 2
    assert snapshot(db) == before


def test_the_purge_command_takes_a_shorter_period(runner, db, old_and_new):
    _old, new = old_and_new
    ten_days_ago = (datetime.now(UTC) - timedelta(days=10)).isoformat()
    db.execute("update screenings set ended_at = ? where id = ?", [ten_days_ago, new["id"]])
    result = runner.invoke(args=["data", "purge", "--days", "5"])
    assert result.exit_code == 0, result.output
    assert person.stored(db, new["id"])["name"] == ""


# --- backups --------------------------------------------------------------------------


def test_a_backup_opens_cleanly_and_holds_the_cases_encrypted(app, runner, db, old_and_new, tmp_path):
    target = tmp_path / "backups" / "screening-backup.db"
    target.parent.mkdir()
    result = runner.invoke(args=["data", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "Back up the key separately" in result.output
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["screening-backup.db"]
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert copy.execute("select count(*) from screenings").fetchone()[0] == 2
    copy.close()
    assert NAME.encode() not in target.read_bytes()
    entry = audit.recent(db, 1)[0]
    assert (entry["action"], json.loads(entry["detail"])) == ("backup", {"file": str(target)})


def test_a_backup_refuses_to_overwrite_a_file_unless_forced(runner, db, tmp_path):
    target = tmp_path / "existing.db"
    target.write_bytes(b"precious")
    result = runner.invoke(args=["data", "backup", str(target)])
    assert result.exit_code == 1
    assert "use --force" in result.output
    assert target.read_bytes() == b"precious"
    forced = runner.invoke(args=["data", "backup", "--force", str(target)])
    assert forced.exit_code == 0, forced.output
    assert sqlite3.connect(target).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_backup_made_while_a_write_is_open_is_consistent(app, db, users, organisation, tmp_path):
    identified_case(db, users["officer"], organisation)
    writer = sqlite3.connect(app.config["SCREENING_DATABASE"], check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("update screenings set post = 'half-written'")
    # The writer gives up a moment later; the backup's own audit entry waits for it.
    threading.Timer(0.5, writer.rollback).start()
    target = backup(db, tmp_path / "during.db", actor=SHELL)
    writer.close()
    copy = sqlite3.connect(target)
    assert copy.execute("select post from screenings").fetchone()[0] == "Test post"
    copy.close()


def test_the_key_file_is_not_in_the_backup(app, runner, db, old_and_new, tmp_path):
    target = tmp_path / "b.db"
    runner.invoke(args=["data", "backup", str(target)])
    key = (tmp_path / crypto.KEY_FILE).read_text().strip()
    assert key.encode() not in target.read_bytes()
    assert CONTACT.encode() not in target.read_bytes()
    assert BIRTH.encode() not in target.read_bytes()


def test_a_backup_into_a_missing_folder_is_a_clear_error(runner, db, tmp_path):
    result = runner.invoke(args=["data", "backup", str(tmp_path / "no" / "such" / "b.db")])
    assert result.exit_code == 1
    assert "Error:" in result.output
    assert audit.recent(db, 5) == []


def test_a_retention_setting_under_a_day_stops_the_purge_command(tmp_path):
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True, "SCREENING_RETENTION_DAYS": 0})
    result = app.test_cli_runner().invoke(args=["data", "purge"])
    assert result.exit_code == 1
    assert "must be at least 1" in result.output
