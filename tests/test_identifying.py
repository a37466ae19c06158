"""The registry of identifying data: every column is classified, and erasure and the purge leave nothing registered."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from screening.cases import casework
from screening.cases import records as cases
from screening.protection import crypto, identifying, retention
from screening.protection.audit import Actor
from screening.referral import followup, person, referrals
from tests.conftest import IN_DANGER, actor, add_organisation, refer
from tests.test_crypto import DECLINED, NOTE, file_bytes, identified_case

LONG_AGO = (datetime.now(UTC) - timedelta(days=400)).replace(microsecond=0).isoformat()


def test_every_column_of_every_table_is_registered_or_declared_not_identifying(db):
    for table in db.table_names():
        columns = {column.name for column in db[table].columns}
        registered = {column for registered_table, column in identifying.COLUMNS if registered_table == table}
        declared = set(identifying.NOT_IDENTIFYING.get(table, {}))
        # A column may be both only when the registry takes some of its rows (answers in words, not by choice).
        partly = {c for item in identifying.REGISTRY if item.table == table and item.rows for c in item.columns}
        assert registered & declared <= partly, (table, registered & declared)
        assert columns == registered | declared, (table, columns ^ (registered | declared))


def test_every_registered_column_is_encrypted_and_every_declared_reason_is_written_out():
    encrypted = {(table, column) for table, column, _rows in identifying.encrypted_columns()}
    assert encrypted == set(identifying.COLUMNS)
    for table, columns in identifying.NOT_IDENTIFYING.items():
        for column, why in columns.items():
            assert len(why) > 20, (table, column)


def test_the_audit_trail_refuses_every_registered_column_name_as_a_detail_key():
    refused = identifying.refused_audit_keys()
    assert {column for _table, column in identifying.COLUMNS} <= refused
    assert {"name", "contact", "date_of_birth", "text", "reason", "basis_reason", "evidence"} <= refused


@pytest.fixture
def note_and_declined_reason_only(app, interview, db, users):
    """A completed case with no personal details: only a caseworker's note and a referral declined with a reason."""
    interview.start()
    interview.run(IN_DANGER)
    screening = cases.find(db, interview.reference)
    organisation = db["organisations"].get(add_organisation(db))
    referral = refer(db, screening, organisation, users["officer"])
    followup.advance(db, actor(db), screening, referral, "declined", reason=DECLINED)
    casework.add_note(db, actor(db), screening, NOTE)
    return screening


def test_erasing_a_case_whose_only_identifying_data_is_a_note_and_a_declined_reason_removes_both(
    app, client, db, note_and_declined_reason_only
):
    reference = note_and_declined_reason_only["reference"]
    assert NOTE in client.get(f"/s/{reference}").get_data(as_text=True)
    response = client.post(f"/s/{reference}/erase", data={"confirm": "y"})
    assert response.status_code == 302
    page = client.get(f"/s/{reference}").get_data(as_text=True)
    assert NOTE not in page
    assert DECLINED not in page
    assert retention.identifying_data(db, note_and_declined_reason_only["id"]) == {}
    entry = next(db.query("select detail from audit where action = 'erase'"))
    assert json.loads(entry["detail"]) == {"erased": {"decline_reasons": 1, "notes": 1}}


def test_the_purge_erases_a_long_ended_case_whose_only_identifying_data_is_a_note_and_a_declined_reason(
    app, runner, db, note_and_declined_reason_only
):
    db.execute("update screenings set ended_at = ?", [LONG_AGO])
    tokens = [next(db.query("select text from notes"))["text"]]
    tokens += [next(db.query("select reason from referral_events where reason is not null"))["reason"]]
    assert all(token.encode() in file_bytes(app) for token in tokens)
    result = runner.invoke(args=["data", "purge"])
    assert result.exit_code == 0, result.output
    assert "Erased identifying data from 1 case" in result.output
    assert retention.identifying_data(db, note_and_declined_reason_only["id"]) == {}
    raw = file_bytes(app)
    assert not [token for token in tokens if token.encode() in raw]


# What a screening can hold; a referral received from elsewhere is a case of its own (test_import.py).
SCREENING_KINDS = {item.kind for item in identifying.REGISTRY if item.scope == "screening"}


@pytest.mark.parametrize("how", ["erase", "purge"])
def test_after_erasure_or_purge_nothing_registered_is_left_of_the_case(app, db, users, how):
    case = identified_case(db, users["officer"], add_organisation(db))
    kept = identified_case(db, users["officer"], add_organisation(db, name="EXAMPLE - Other"), " kept")
    assert set(retention.identifying_data(db, case["id"])) == SCREENING_KINDS
    if how == "erase":
        retention.erase(db, Actor.shell(), case["id"])
    else:
        db.execute("update screenings set ended_at = ? where id = ?", [LONG_AGO, case["id"]])
        retention.purge(db, 90, actor=Actor.shell())
    for item in identifying.REGISTRY:
        if item.scope != "screening":
            continue
        held = " or ".join(f"{column} is not null" for column in item.columns)
        rows = list(db.query(f"select * from {item.table} where ({item.of_case}) and ({held})", {"case": case["id"]}))  # noqa: S608
        if item.erase == identifying.CLEAR_CONCERN:
            rows = [r for r in rows if json.loads(crypto.decrypt(r["evidence"]))["officer_concern"] is not None]
        elif item.rows:
            rows = [r for r in rows if r["free_text"]]
        assert rows == [], item.kind
    assert set(retention.identifying_data(db, kept["id"])) == SCREENING_KINDS
    assert person.stored(db, kept["id"])["name"].endswith(" kept")
    assert [r["organisation_name"] for r in referrals.for_case(db, case["id"])]  # the referrals themselves stay
