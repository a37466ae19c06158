"""Sessions on the server, idle and absolute expiry, throttling and lockout, the password again, passwords."""

import json

import pytest

from screening.accounts import passwords, throttle
from tests.conftest import PASSWORD, Interview

WRONG = "not the password at all"


def session_row(client, db):
    with client.session_transaction() as cookie:
        session_id = cookie.get("sid")
    rows = list(db.query("select * from sessions where id = ?", [session_id]))
    return rows[0] if rows else None


def test_the_cookie_holds_only_a_random_session_id(client, users):
    Interview(client).login()
    with client.session_transaction() as cookie:
        assert set(cookie.keys()) <= {"sid", "_permanent", "csrf_token", "lang"}
        assert len(cookie["sid"]) >= 40


def test_logging_out_ends_the_session_on_the_server(client, db, users):
    Interview(client).login()
    row = session_row(client, db)
    with client.session_transaction() as cookie:
        stolen = dict(cookie)
    client.post("/logout")
    assert next(db.query("select ended_at from sessions where id = ?", [row["id"]]))["ended_at"]
    with client.session_transaction() as cookie:
        cookie.update(stolen)
    assert client.get("/").headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("column", "value"),
    [("last_seen", "2000-01-01T00:00:00+00:00"), ("created_at", "2000-01-01T00:00:00+00:00")],
    ids=["idle", "absolute"],
)
def test_a_session_expires_when_idle_and_after_its_lifetime(client, db, users, column, value):
    Interview(client).login()
    db.execute(f"update sessions set {column} = ?", [value])  # noqa: S608 - column from the table above
    response = client.get("/")
    assert response.headers["Location"].startswith("/login?next=/&expired=1")
    assert next(db.query("select ended_at from sessions"))["ended_at"] is not None


def test_changing_the_password_ends_every_other_session(app, client, db, users):
    other_device = Interview(app.test_client())
    other_device.login()
    Interview(client).login()
    new = "violet kayak harbour lantern"
    response = client.post("/account/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert response.status_code == 302
    assert other_device.client.get("/").headers["Location"].startswith("/login")
    assert client.get("/").status_code == 200


def test_five_failures_lock_the_account_even_against_the_right_password(client, db, users):
    for _attempt in range(throttle.MAX_ACCOUNT_FAILURES):
        page = Interview(client).login(password=WRONG).get_data(as_text=True)
        assert "The username or password is not right, or the account is locked" in page
    assert next(db.query("select locked_until from users where username = 'officer'"))["locked_until"]
    page = Interview(client).login().get_data(as_text=True)
    assert "or the account is locked" in page
    with client.session_transaction() as cookie:
        assert "sid" not in cookie


def test_an_unknown_account_and_a_locked_one_get_the_same_message(client, db, users):
    db.execute("update users set locked_until = '2999-01-01T00:00:00+00:00' where username = 'officer'")
    locked = Interview(client).login().get_data(as_text=True)
    unknown = Interview(client).login(username="nobody").get_data(as_text=True)
    wrong = Interview(client).login(username="other", password=WRONG).get_data(as_text=True)
    message = "The username or password is not right, or the account is locked."
    assert message in locked
    assert message in unknown
    assert message in wrong


def test_an_administrator_lifts_a_lockout(app, client, db, users):
    for _attempt in range(throttle.MAX_ACCOUNT_FAILURES):
        Interview(client).login(password=WRONG)
    admin = Interview(app.test_client())
    admin.login("admin")
    page = admin.client.get(f"/admin/accounts/{users['officer']}").get_data(as_text=True)
    assert "This account is locked" in page
    admin.client.post(f"/admin/accounts/{users['officer']}/unlock")
    assert next(db.query("select locked_until from users where username = 'officer'"))["locked_until"] is None
    assert Interview(client).login().headers["Location"] == "/"


def test_many_failures_from_one_address_make_it_wait(client, db, users):
    for n in range(throttle.MAX_ADDRESS_FAILURES):
        Interview(client).login(username=f"guess{n}", password=WRONG)
    assert Interview(client).login(username="other").status_code == 200
    with client.session_transaction() as cookie:
        assert "sid" not in cookie
    assert next(db.query("select locked_until from users where username = 'other'"))["locked_until"] is None


def test_a_success_resets_the_failure_count(client, db, users):
    for _attempt in range(throttle.MAX_ACCOUNT_FAILURES - 1):
        Interview(client).login(password=WRONG)
    Interview(client).login()
    client.post("/logout")
    for _attempt in range(throttle.MAX_ACCOUNT_FAILURES - 1):
        Interview(client).login(password=WRONG)
    assert next(db.query("select locked_until from users where username = 'officer'"))["locked_until"] is None


def test_printing_asks_for_the_password_again_after_a_few_minutes(client, db, users):
    Interview(client).login()
    db.execute("update sessions set reauth_at = '2000-01-01T00:00:00+00:00'")
    response = client.get("/s/AAAA-BBBB-CCCC/referrals/1.pdf")
    assert response.headers["Location"] == "/reauth?next=/s/AAAA-BBBB-CCCC/referrals/1.pdf"
    wrong = client.post("/reauth", data={"password": WRONG, "next": "/s/AAAA-BBBB-CCCC/referrals/1.pdf"})
    assert "The password is not right" in wrong.get_data(as_text=True)
    right = client.post("/reauth", data={"password": PASSWORD, "next": "/s/AAAA-BBBB-CCCC/referrals/1.pdf"})
    assert right.headers["Location"] == "/s/AAAA-BBBB-CCCC/referrals/1.pdf"
    assert session_row(client, db)["reauth_at"] > "2020"


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("short", "at least 12"),
        ("password1234", "too common"),
        ("Password123!", "too common"),
        ("qwertyuiop!!", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("officer-is-my-name", "must not contain the username"),
        ("violet kayak harbour lantern", None),
    ],
)
def test_a_password_must_be_long_uncommon_and_not_the_username(app, password, refused):
    with app.test_request_context():
        found = passwords.problem(password, "officer")
        assert (str(found) if found else None) == refused or refused in str(found)


def test_a_common_password_is_refused_on_the_change_page(client, users):
    Interview(client).login()
    page = client.post(
        "/account/password", data={"current": PASSWORD, "password": "password1234", "confirm": "password1234"}
    ).get_data(as_text=True)
    assert "This password is too common" in page


# --- one path for every password check --------------------------------------------------


def failed_checks(db, purpose):
    rows = db.query("select action, detail from audit where action in ('login_failed', 'lockout') order by id")
    return [row["action"] for row in rows if json.loads(row["detail"])["for"] == purpose]


def test_guessing_the_current_password_on_the_change_page_locks_the_account_and_ends_the_session(client, db, users):
    Interview(client).login()
    new = "violet kayak harbour lantern"
    stored = next(db.query("select password_hash from users where username = 'officer'"))["password_hash"]
    for _guess in range(throttle.MAX_ACCOUNT_FAILURES - 1):
        page = client.post("/account/password", data={"current": WRONG, "password": new, "confirm": new})
        assert "The current password is not right" in page.get_data(as_text=True)
    locked_out = client.post("/account/password", data={"current": WRONG, "password": new, "confirm": new})
    assert locked_out.headers["Location"] == "/login"
    assert next(db.query("select locked_until from users where username = 'officer'"))["locked_until"]
    # 25 more guesses, then the right password: none gets through, and the password never changed.
    for _guess in range(25):
        guess = client.post("/account/password", data={"current": WRONG, "password": new, "confirm": new})
        assert guess.status_code == 302
    right = client.post("/account/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert right.headers["Location"].startswith("/login")
    assert next(db.query("select password_hash from users where username = 'officer'"))["password_hash"] == stored
    assert failed_checks(db, "password_change") == ["login_failed"] * 4 + ["lockout"]
    assert "or the account is locked" in Interview(client).login().get_data(as_text=True)


def test_guessing_on_the_password_again_page_counts_like_a_login(client, db, users):
    Interview(client).login()
    for _guess in range(throttle.MAX_ACCOUNT_FAILURES):
        response = client.post("/reauth", data={"password": WRONG, "next": "/"})
    assert response.headers["Location"] == "/login"
    assert failed_checks(db, "reauth") == ["login_failed"] * 4 + ["lockout"]
    assert client.get("/").headers["Location"].startswith("/login")


def test_failures_on_the_change_page_and_at_login_add_up_to_one_lockout(client, db, users):
    for _guess in range(2):
        Interview(client).login(password=WRONG)
    Interview(client).login()
    new = "violet kayak harbour lantern"
    for _guess in range(throttle.MAX_ACCOUNT_FAILURES - 1):
        client.post("/account/password", data={"current": WRONG, "password": new, "confirm": new})
    assert next(db.query("select locked_until from users where username = 'officer'"))["locked_until"] is None
    client.post("/account/password", data={"current": WRONG, "password": new, "confirm": new})
    assert next(db.query("select locked_until from users where username = 'officer'"))["locked_until"]
