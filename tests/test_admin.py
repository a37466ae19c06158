"""Administrators keep the accounts: create, change, deactivate, unlock, reset; nobody else can."""

import json
import re

import pytest

from tests.conftest import Interview


@pytest.fixture
def admin(app, users):
    driver = Interview(app.test_client())
    driver.login("admin")
    return driver.client


def test_a_new_account_gets_a_one_time_password_shown_once(app, admin, db):
    page = admin.post(
        "/admin/accounts/new",
        data={"username": "nadia", "role": "supervisor", "organisation": "Demo NGO", "active": "y"},
    ).get_data(as_text=True)
    password = re.search(r'<p class="script ref">([^<]+)</p>', page).group(1)
    row = next(db.query("select * from users where username = 'nadia'"))
    assert (row["role"], row["organisation"], row["must_change_password"], row["active"]) == (
        "supervisor",
        "Demo NGO",
        1,
        1,
    )
    newcomer = Interview(app.test_client())
    assert newcomer.login("nadia", password).headers["Location"] == "/"
    assert newcomer.client.get("/").headers["Location"] == "/account/password"
    assert password not in admin.get("/admin/accounts").get_data(as_text=True)


def test_a_taken_username_is_refused_keeping_the_entries(admin, db):
    page = admin.post(
        "/admin/accounts/new", data={"username": "officer", "role": "officer", "organisation": "Post 7"}
    ).get_data(as_text=True)
    assert "This username is taken" in page
    assert 'value="Post 7"' in page


def test_deactivating_an_account_ends_its_sessions(app, admin, db, users):
    officer = Interview(app.test_client())
    officer.login()
    admin.post(f"/admin/accounts/{users['officer']}", data={"username": "officer", "role": "officer"})
    assert next(db.query("select active from users where username = 'officer'"))["active"] == 0
    assert officer.client.get("/").headers["Location"].startswith("/login")


def test_an_administrator_cannot_remove_their_own_access(admin, db, users):
    page = admin.post(
        f"/admin/accounts/{users['admin']}", data={"username": "admin", "role": "officer", "active": "y"}
    ).get_data(as_text=True)
    assert "You cannot take away your own administrator access" in page
    assert next(db.query("select role from users where username = 'admin'"))["role"] == "admin"


def test_a_password_reset_needs_the_admins_password_and_ends_the_accounts_sessions(app, admin, db, users):
    officer = Interview(app.test_client())
    officer.login()
    db.execute("update sessions set reauth_at = '2000-01-01T00:00:00+00:00'")
    asked = admin.get(f"/admin/accounts/{users['officer']}/reset")
    assert asked.headers["Location"].startswith("/reauth")
    admin.post("/reauth", data={"password": "a long test password"})
    page = admin.post(f"/admin/accounts/{users['officer']}/reset").get_data(as_text=True)
    assert '<p class="script ref">' in page
    assert officer.client.get("/").headers["Location"].startswith("/login")
    assert next(db.query("select must_change_password from users where username = 'officer'"))["must_change_password"]


@pytest.mark.parametrize("name", ["officer", "supervisor"])
@pytest.mark.parametrize("path", ["/admin/accounts", "/admin/accounts/new", "/admin/accounts/1"])
def test_only_administrators_reach_the_accounts_pages(app, users, name, path):
    driver = Interview(app.test_client())
    driver.login(name)
    assert driver.client.get(path).status_code == 404


def test_a_supervisor_sees_only_the_cases_of_their_own_organisation(app, db, users):
    db.execute("update users set organisation = 'Org A' where username in ('officer', 'supervisor')")
    db.execute("update users set organisation = 'Org B' where username = 'other'")
    own, foreign = Interview(app.test_client()), Interview(app.test_client())
    own.login("officer")
    own.start()
    foreign.login("other")
    foreign.start()
    supervisor = Interview(app.test_client())
    supervisor.login("supervisor")
    listing = supervisor.client.get("/").get_data(as_text=True)
    assert own.reference in listing
    assert foreign.reference not in listing
    assert supervisor.client.get(f"/s/{own.reference}").status_code == 200
    assert supervisor.client.get(f"/s/{foreign.reference}").status_code == 404


def test_the_audit_trail_page_lists_entries_and_says_whether_the_chain_holds(admin, db, users):
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "the chain is intact" in page
    assert "Logged in" in page
    db.execute("drop trigger audit_no_update")
    db.execute("update audit set username = 'someone else' where id = 1")
    broken = admin.get("/admin/audit").get_data(as_text=True)
    assert "The chain is broken at entry 1" in broken


def test_only_administrators_read_the_audit_trail(app, users):
    driver = Interview(app.test_client())
    driver.login("supervisor")
    assert driver.client.get("/admin/audit").status_code == 404


# --- organisations: who sets them ------------------------------------------------------------


@pytest.fixture
def two_organisations(app, db, users):
    """Put officer, supervisor and admin in Border Police, 'other' in Labour Office with a case: return that case."""
    db.execute("update users set organisation = 'Border Police' where username in ('officer', 'supervisor', 'admin')")
    db.execute("update users set organisation = 'Labour Office' where username = 'other'")
    foreign = Interview(app.test_client())
    foreign.login("other")
    foreign.start()
    return foreign.reference


def organisation_of(db, username):
    return next(db.query("select organisation from users where username = ?", [username]))["organisation"]


def account_form(username, role, organisation, **extra):
    return {"username": username, "role": role, "organisation": organisation, "active": "y", **extra}


def test_an_administrator_cannot_move_their_own_account_into_another_organisation(admin, db, users, two_organisations):
    admin.post(f"/admin/accounts/{users['admin']}", data=account_form("admin", "admin", "Labour Office"))
    assert organisation_of(db, "admin") == "Border Police"
    assert admin.get(f"/s/{two_organisations}").status_code == 404


def test_the_store_refuses_an_organisation_change_whoever_asks(db, users, two_organisations):
    from screening.accounts import store
    from tests.conftest import actor

    own = store.get(db, users["admin"])
    with pytest.raises(store.NotAllowed):
        store.change(
            db,
            actor(db, "admin"),
            own,
            username="admin",
            role="admin",
            organisation="Labour Office",
            full_name=None,
            active=True,
        )
    db.execute("update users set organisation = null where username = 'admin'")
    root = store.get(db, users["admin"])
    with pytest.raises(store.NotAllowed):
        store.change(
            db,
            actor(db, "admin"),
            root,
            username="admin",
            role="admin",
            organisation="Labour Office",
            full_name=None,
            active=True,
        )
    assert organisation_of(db, "admin") is None


def test_an_administrator_of_an_organisation_cannot_plant_an_account_in_another(admin, db, users, two_organisations):
    page = admin.post("/admin/accounts/new", data=account_form("planted", "supervisor", "Labour Office"))
    assert page.status_code == 200
    assert organisation_of(db, "planted") == "Border Police"


def test_an_administrator_of_an_organisation_sees_and_changes_only_its_accounts(admin, db, users, two_organisations):
    listing = admin.get("/admin/accounts").get_data(as_text=True)
    assert f"/admin/accounts/{users['officer']}" in listing
    assert f"/admin/accounts/{users['other']}" not in listing
    for path in ("", "/reset", "/unlock"):
        method = admin.post if path == "/unlock" else admin.get
        assert method(f"/admin/accounts/{users['other']}{path}").status_code == 404
    admin.post(f"/admin/accounts/{users['other']}", data=account_form("other", "admin", "Border Police"))
    assert next(db.query("select role from users where username = 'other'"))["role"] == "officer"


def test_the_installations_administrator_moves_another_account_and_the_move_is_audited(
    app, db, users, two_organisations
):
    db.execute("update users set organisation = null where username = 'admin'")
    root = Interview(app.test_client())
    root.login("admin")
    assert f"/admin/accounts/{users['other']}" in root.client.get("/admin/accounts").get_data(as_text=True)
    root.client.post(f"/admin/accounts/{users['other']}", data=account_form("other", "officer", "Border Police"))
    assert organisation_of(db, "other") == "Border Police"
    entry = next(db.query("select detail from audit where action = 'account_change' order by id desc"))
    assert json.loads(entry["detail"])["organisation"] == {"from": "Labour Office", "to": "Border Police"}
    # The case 'other' opened stays with the organisation it was opened in.
    supervisor = Interview(app.test_client())
    supervisor.login("supervisor")
    assert supervisor.client.get(f"/s/{two_organisations}").status_code == 404
