"""Accounts: the one-time link for the first administrator, logging in and out, and the quick exit."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from screening.accounts.setup import print_link_if_needed as print_setup_link_if_needed
from screening.db.connection import connect
from tests.conftest import PASSWORD, create_user

GENERIC_LOGIN_ERROR = "The username or password is not right"
ADMIN = {"username": "first.admin", "password": "a long admin password", "confirm": "a long admin password"}
PAST = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0).isoformat()


def setup_token(capsys, app):
    """Ask the app for a setup link and return the token printed in it."""
    print_setup_link_if_needed(app)
    err = capsys.readouterr().err
    match = re.search(r"http://127\.0\.0\.1:8000/setup/(\S+)", err)
    assert match, err
    return match.group(1)


def logged_in_uid(client):
    """Return the account id of the client's live server-side session, or None."""
    with client.session_transaction() as session:
        session_id = session.get("sid")
    if session_id is None:
        return None
    db = connect(client.application.config["SCREENING_DATABASE"])
    try:
        rows = list(db.query("select user_id from sessions where id = ? and ended_at is null", [session_id]))
    finally:
        db.close()
    return rows[0]["user_id"] if rows else None


def login(client, username="officer", password=PASSWORD, **query):
    """Post the login form and return the response."""
    return client.post("/login", query_string=query, data={"username": username, "password": password})


# --- the first administrator ----------------------------------------------------------


def test_with_no_accounts_a_setup_link_is_printed_on_the_console(app, db, capsys):
    print_setup_link_if_needed(app)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No accounts yet. Create the first administrator within 30 minutes at:" in captured.err
    assert re.search(r"\n  http://127\.0\.0\.1:8000/setup/[A-Za-z0-9_-]{32}\n", captured.err), captured.err
    rows = list(db.query("select used_at from setup_tokens"))
    assert rows == [{"used_at": None}]


def test_the_setup_link_uses_the_public_address_and_stores_only_a_hash_of_the_token(app, db, capsys):
    app.config["SCREENING_PUBLIC_URL"] = "https://screening.example/"
    print_setup_link_if_needed(app)
    err = capsys.readouterr().err
    token = re.search(r"https://screening\.example/setup/(\S+)", err).group(1)
    stored = next(db.query("select token_hash from setup_tokens"))["token_hash"]
    assert token not in stored
    assert len(stored) == 64


def test_with_an_account_no_setup_link_is_printed(app, db, users, capsys):
    print_setup_link_if_needed(app)
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert list(db.query("select * from setup_tokens")) == []


def test_the_setup_link_shows_the_form(app, client, capsys):
    token = setup_token(capsys, app)
    page = client.get(f"/setup/{token}")
    assert page.status_code == 200
    assert "<h1>Create the administrator account</h1>" in page.get_data(as_text=True)


def test_the_setup_link_creates_an_administrator_and_logs_them_in(app, db, client, capsys):
    token = setup_token(capsys, app)
    response = client.post(f"/setup/{token}", data=ADMIN)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    rows = list(db.query("select id, username, role, active, must_change_password from users"))
    assert len(rows) == 1
    admin = rows[0]
    assert (admin["username"], admin["role"], admin["active"], admin["must_change_password"]) == (
        "first.admin",
        "admin",
        1,
        0,
    )
    assert logged_in_uid(client) == admin["id"]
    page = client.get("/")
    assert page.status_code == 200
    assert "Your administrator account is ready." in page.get_data(as_text=True)


def test_a_setup_form_with_a_short_password_creates_nothing(app, db, client, capsys):
    token = setup_token(capsys, app)
    response = client.post(f"/setup/{token}", data={**ADMIN, "password": "short", "confirm": "short"})
    assert response.status_code == 200
    assert "Use at least 12 characters" in response.get_data(as_text=True)
    assert list(db.query("select * from users")) == []
    assert client.get(f"/setup/{token}").status_code == 200


def test_the_setup_link_works_once(app, client, capsys):
    token = setup_token(capsys, app)
    client.post(f"/setup/{token}", data=ADMIN)
    assert client.get(f"/setup/{token}").status_code == 404
    again = client.post(f"/setup/{token}", data={**ADMIN, "username": "second.admin"})
    assert again.status_code == 404


def test_a_used_setup_link_stays_used_even_if_the_accounts_are_gone(app, db, client, capsys):
    token = setup_token(capsys, app)
    client.post(f"/setup/{token}", data=ADMIN)
    assert next(db.query("select used_at from setup_tokens"))["used_at"] is not None
    db.execute("delete from sessions")
    db.execute("delete from users")
    assert client.get(f"/setup/{token}").status_code == 404


def test_an_expired_setup_link_is_not_found(app, db, client, capsys):
    token = setup_token(capsys, app)
    db.execute("update setup_tokens set expires_at = ?", [PAST])
    assert client.get(f"/setup/{token}").status_code == 404
    assert client.post(f"/setup/{token}", data=ADMIN).status_code == 404
    assert list(db.query("select * from users")) == []


def test_the_setup_link_is_valid_for_the_configured_minutes(app, db, capsys):
    setup_token(capsys, app)
    row = next(db.query("select created_at, expires_at from setup_tokens"))
    lifetime = datetime.fromisoformat(row["expires_at"]) - datetime.fromisoformat(row["created_at"])
    assert lifetime == timedelta(minutes=30)


@pytest.mark.parametrize("wrong", ["not-the-token", "x" * 32, "%00"])
def test_a_wrong_setup_token_is_not_found(app, client, capsys, wrong):
    setup_token(capsys, app)
    assert client.get(f"/setup/{wrong}").status_code == 404
    assert client.post(f"/setup/{wrong}", data=ADMIN).status_code == 404


def test_issuing_a_new_setup_link_voids_the_old_one(app, db, client, capsys):
    old = setup_token(capsys, app)
    new = setup_token(capsys, app)
    assert old != new
    assert client.get(f"/setup/{old}").status_code == 404
    assert client.get(f"/setup/{new}").status_code == 200
    assert next(db.query("select count(*) as n from setup_tokens"))["n"] == 1


# --- logging in -----------------------------------------------------------------------


def error_summary(response):
    """Return the error summary block of a page."""
    match = re.search(r'<div class="error-summary".*?</div>', response.get_data(as_text=True), re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def test_a_wrong_password_and_an_unknown_username_give_the_same_message_and_no_session(client, users):
    wrong_password = login(client, "officer", "not the password")
    assert logged_in_uid(client) is None
    unknown_user = login(client, "nobody", PASSWORD)
    assert logged_in_uid(client) is None
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert GENERIC_LOGIN_ERROR in error_summary(wrong_password)
    assert error_summary(wrong_password) == error_summary(unknown_user)
    assert client.get("/").headers["Location"] == "/login?next=/"


def test_an_inactive_account_cannot_log_in(client, db, users):
    db.execute("update users set active = 0 where username = 'officer'")
    response = login(client)
    assert GENERIC_LOGIN_ERROR in error_summary(response)
    assert logged_in_uid(client) is None


def test_the_right_password_starts_a_session_and_goes_to_the_case_list(client, users):
    response = login(client)
    assert response.headers["Location"] == "/"
    assert logged_in_uid(client) == users["officer"]


def test_an_account_with_a_one_time_password_must_change_it_before_anything_else(client, db):
    create_user(db, "newbie", PASSWORD, "officer", must_change=True)
    assert login(client, "newbie").headers["Location"] == "/"
    for path in ("/", "/new", "/s/K7QD-9XPM-3HTA"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/password", path
    form = client.get("/account/password").get_data(as_text=True)
    assert "Your password was given to you once." in form


def test_a_wrong_current_password_does_not_change_the_one_time_password(client, db):
    create_user(db, "newbie", PASSWORD, "officer", must_change=True)
    login(client, "newbie")
    new = "my own long password"
    response = client.post("/account/password", data={"current": "not it at all", "password": new, "confirm": new})
    assert response.status_code == 200
    assert "The current password is not right" in response.get_data(as_text=True)
    assert (
        next(db.query("select must_change_password from users where username = 'newbie'"))["must_change_password"] == 1
    )
    assert client.get("/").headers["Location"] == "/account/password"


def test_after_changing_the_one_time_password_the_account_is_free_to_go_on(client, db):
    create_user(db, "newbie", PASSWORD, "officer", must_change=True)
    login(client, "newbie")
    new = "my own long password"
    response = client.post("/account/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert response.headers["Location"] == "/"
    assert (
        next(db.query("select must_change_password from users where username = 'newbie'"))["must_change_password"] == 0
    )
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert GENERIC_LOGIN_ERROR in error_summary(login(client, "newbie", PASSWORD))
    assert login(client, "newbie", new).headers["Location"] == "/"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param("/new", "/new", id="local-path"),
        pytest.param("/s/K7QD-9XPM-3HTA?lang=th", "/s/K7QD-9XPM-3HTA?lang=th", id="local-path-with-query"),
        pytest.param("//evil.example/", "/", id="protocol-relative"),
        pytest.param("https://evil.example/", "/", id="absolute"),
        pytest.param("http:evil.example", "/", id="scheme-without-slashes"),
        pytest.param("/\\evil.example", "/", id="backslash"),
        pytest.param("/\t/evil.example", "/", id="tab-between-slashes"),
        pytest.param("/\n/evil.example", "/", id="newline-between-slashes"),
        pytest.param("javascript:alert(1)", "/", id="javascript"),
        pytest.param("evil.example", "/", id="bare-host"),
        pytest.param("", "/", id="empty"),
    ],
)
def test_after_login_next_returns_to_a_local_path_only(client, users, target, expected):
    response = login(client, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_next_is_also_read_from_the_login_form(client, users):
    response = client.post("/login", data={"username": "officer", "password": PASSWORD, "next": "/new"})
    assert response.headers["Location"] == "/new"


def test_a_page_that_needs_a_login_sends_to_the_login_page_with_next(client, users):
    assert client.get("/new").headers["Location"] == "/login?next=/new"


# --- logging out and the quick exit ---------------------------------------------------


def test_logout_by_get_is_not_allowed_and_keeps_the_session(client, users):
    login(client)
    assert client.get("/logout").status_code == 405
    assert logged_in_uid(client) == users["officer"]
    assert client.get("/").status_code == 200


def test_logout_by_post_ends_the_session(client, users):
    login(client)
    response = client.post("/logout")
    assert response.headers["Location"] == "/login"
    assert logged_in_uid(client) is None
    assert client.get("/").headers["Location"] == "/login?next=/"
    assert "You are logged out." in client.get("/login").get_data(as_text=True)


def test_the_quick_exit_ends_the_session_and_shows_nothing_about_the_case(interview, client, db):
    interview.start()
    reference = interview.reference
    case_page = client.get(f"/s/{reference}").get_data(as_text=True)
    assert reference in case_page
    page = client.get("/exit", follow_redirects=True)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.request.path == "/welcome"
    assert page.headers["Cache-Control"] == "no-store"
    assert "<h1>Welcome</h1>" in body
    assert reference not in body
    assert "Test post" not in body
    assert logged_in_uid(client) is None


@pytest.mark.parametrize("back_to", ["/s/{ref}/q/danger_now", "/s/{ref}", "/", "/login?next=/s/{ref}/q/danger_now"])
def test_after_the_quick_exit_going_back_shows_the_neutral_page_not_the_app_or_the_case(interview, client, back_to):
    interview.start()
    client.get("/exit")
    page = client.get(back_to.format(ref=interview.reference), follow_redirects=True)
    body = page.get_data(as_text=True)
    assert page.request.path == "/welcome"
    assert "<h1>Welcome</h1>" in body
    assert "trafficking" not in body.lower()
    assert interview.reference not in body


def test_after_the_quick_exit_staff_can_still_log_in_from_the_neutral_page(interview, client):
    interview.start()
    client.get("/exit")
    login_page = client.get("/login?staff=1")
    assert login_page.status_code == 200
    assert interview.login().status_code == 302
    assert client.get(f"/s/{interview.reference}").status_code == 200


def test_the_quick_exit_page_shows_no_account_navigation_once_the_session_is_ended(interview, client):
    interview.start()
    body = client.get("/exit", follow_redirects=True).get_data(as_text=True)
    assert 'action="/logout"' not in body
    assert "New screening" not in body
    assert 'href="/new"' not in body


def test_the_quick_exit_page_does_not_say_what_the_app_is_for(interview, client):
    interview.start()
    body = client.get("/exit", follow_redirects=True).get_data(as_text=True)
    assert "trafficking" not in body.lower()
