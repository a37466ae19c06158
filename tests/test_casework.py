"""Casework on a case: notes (encrypted), links between screenings, follow-up from the page, the timeline, erasure."""

import pytest

from screening.protection import crypto
from tests.conftest import IN_DANGER, Interview, add_organisation
from tests.test_referrals import make_referral


@pytest.fixture
def done(interview, db):
    interview.start()
    interview.run(IN_DANGER)
    add_organisation(db, "EXAMPLE - Shelter", "shelter", "km")
    return interview.reference


def test_a_note_is_saved_encrypted_and_shown_on_the_case(client, db, done):
    client.post(f"/s/{done}/notes", data={"text": "Called the shelter; bed available tomorrow."})
    stored = next(db.query("select text from notes"))["text"]
    assert stored.startswith("enc1:")
    assert "shelter" not in stored
    assert crypto.decrypt(stored) == "Called the shelter; bed available tomorrow."
    page = client.get(f"/s/{done}").get_data(as_text=True)
    assert "Called the shelter; bed available tomorrow." in page
    assert "Note added" in page


def test_an_empty_note_is_refused(client, db, done):
    response = client.post(f"/s/{done}/notes", data={"text": "   "}, follow_redirects=True)
    assert "Write the note first" in response.get_data(as_text=True)
    assert not list(db.query("select * from notes"))


def test_a_screening_is_linked_to_an_earlier_one_both_ways(interview, client, db, done):
    interview.start()
    interview.run({})
    later = interview.reference
    client.post(f"/s/{later}/link", data={"earlier": done.lower()})
    assert f'/s/{done}"' in client.get(f"/s/{later}").get_data(as_text=True)
    assert f'/s/{later}"' in client.get(f"/s/{done}").get_data(as_text=True)


def test_a_case_cannot_be_linked_to_one_the_officer_cannot_see(app, client, db, done):
    other = Interview(app.test_client())
    other.login("other")
    other.start()
    response = client.post(f"/s/{done}/link", data={"earlier": other.reference}, follow_redirects=True)
    assert "No other case you can see has that reference" in response.get_data(as_text=True)
    assert next(db.query("select linked_to from screenings where reference = ?", [done]))["linked_to"] is None


def test_the_follow_up_is_recorded_from_the_case_page_and_shows_in_the_timeline(client, db, done):
    referral_id = make_referral(client, db, done)
    client.post(f"/s/{done}/referrals/{referral_id}/followup", data={"status": "declined", "reason": "No bed"})
    row = next(db.query("select status, acknowledged_at from referrals"))
    assert row["status"] == "declined"
    assert row["acknowledged_at"]
    assert next(db.query("select reason from referral_events"))["reason"].startswith("enc1:")
    page = client.get(f"/s/{done}").get_data(as_text=True)
    assert "Declined: No bed" in page
    assert "Referral to EXAMPLE - Shelter: Declined" in page


def test_an_illegal_follow_up_step_is_refused_with_a_message(client, db, done):
    referral_id = make_referral(client, db, done)
    response = client.post(
        f"/s/{done}/referrals/{referral_id}/followup", data={"status": "closed"}, follow_redirects=True
    )
    assert "cannot become" in response.get_data(as_text=True)
    assert next(db.query("select status from referrals"))["status"] == "sent"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/s/{ref}/notes"),
        ("post", "/s/{ref}/link"),
        ("post", "/s/{ref}/referrals/{rid}/followup"),
        ("get", "/s/{ref}/erase"),
        ("post", "/s/{ref}/erase"),
    ],
)
def test_another_officer_can_do_no_casework_on_a_case(app, client, db, done, method, path):
    referral_id = make_referral(client, db, done)
    other = Interview(app.test_client())
    other.login("other")
    response = getattr(other.client, method)(
        path.format(ref=done, rid=referral_id),
        data={"text": "x", "earlier": done, "status": "received", "confirm": "y"},
    )
    assert response.status_code == 404
    assert not list(db.query("select * from notes"))
    assert next(db.query("select status from referrals"))["status"] == "sent"


def test_erasing_on_request_needs_the_password_and_a_confirmation_and_removes_the_identity(client, db, done):
    client.post(f"/s/{done}/person", data={"name": "Ma Demo Erased", "contact": "+95 9 111"})
    client.post(f"/s/{done}/notes", data={"text": "Ma Demo Erased called back"})
    db.execute("update sessions set reauth_at = '2000-01-01T00:00:00+00:00'")
    assert client.get(f"/s/{done}/erase").headers["Location"].startswith("/reauth")
    client.post("/reauth", data={"password": "a long test password"})
    unconfirmed = client.post(f"/s/{done}/erase", data={})
    assert "Confirm that the person asked for it" in unconfirmed.get_data(as_text=True)
    assert list(db.query("select * from people"))
    client.post(f"/s/{done}/erase", data={"confirm": "y"})
    assert not list(db.query("select * from people"))
    assert not list(db.query("select * from notes"))
    assert next(db.query("select outcome from screenings where reference = ?", [done]))["outcome"] == "presumed"
    assert next(db.query("select count(*) as n from audit where action = 'erase'"))["n"] == 1
