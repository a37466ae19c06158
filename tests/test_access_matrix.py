"""Who sees what, from one table: every case page and sub-page, the lists, the desk, statistics, exports and PDFs.

One world, two organisations: a completed case and a draft opened by officer
a1 of Border Police. Each row of SURFACES is one way to reach that case (or an
administrator's page); each account either reaches it or gets "not found".
"""

import csv
import io
import json

import pytest

from screening import create_app
from screening.accounts import passwords
from screening.db.connection import connect
from tests.conftest import IN_DANGER, PASSWORD, Interview, add_organisation, create_user

ACCOUNTS = {
    "officer_a1": ("officer", "Border Police"),
    "officer_a2": ("officer", "Border Police"),
    "supervisor_a": ("supervisor", "Border Police"),
    "admin_a": ("admin", "Border Police"),
    "officer_b": ("officer", "Labour Office"),
    "supervisor_b": ("supervisor", "Labour Office"),
    "admin_b": ("admin", "Labour Office"),
    "admin_root": ("admin", None),
}
# The accounts that see officer a1's cases: a1 itself, and the supervisors and administrators of its organisation.
SEE_CASES = {"officer_a1", "supervisor_a", "admin_a"}
ADMINS = {"admin_a", "admin_b", "admin_root"}

# (method, path, form data, who may: "case" or "admin"). {c}: the completed case, {d}: the draft, {r}: its referral.
SURFACES = [
    ("GET", "/s/{c}", None, "case"),
    ("GET", "/s/{c}/person", None, "case"),
    ("POST", "/s/{c}/person", {"name": "Someone"}, "case"),
    ("GET", "/s/{c}/refer", None, "case"),
    ("GET", "/s/{c}/referrals/{r}.pdf", None, "case"),
    ("GET", "/s/{c}/referrals/{r}/info.pdf", None, "case"),
    ("GET", "/s/{c}/erase", None, "case"),
    ("POST", "/s/{c}/notes", {"text": "A note"}, "case"),
    ("POST", "/s/{c}/link", {"earlier": "{d}"}, "case"),
    ("POST", "/s/{c}/referrals/{r}/followup", {"status": "received"}, "case"),
    ("GET", "/s/{d}/consent", None, "case"),
    ("GET", "/s/{d}/q/safety", None, "case"),
    ("POST", "/s/{d}/q/safety", {"danger_now": "no"}, "case"),
    ("GET", "/s/{d}/check", None, "case"),
    ("GET", "/s/{d}/stop", None, "case"),
    ("POST", "/s/{d}/resume", {}, "case"),
    ("GET", "/admin/accounts", None, "admin"),
    ("GET", "/admin/audit", None, "admin"),
    ("GET", "/directory/", None, "admin"),
    ("GET", "/directory/export.csv", None, "admin"),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Return (app, {"c": completed, "d": draft, "r": referral id}) built once for the whole table."""
    saved, passwords.PASSWORD_METHOD = passwords.PASSWORD_METHOD, "pbkdf2:sha256:1000"
    app = create_app(
        {"SCREENING_DATA_DIR": tmp_path_factory.mktemp("matrix"), "TESTING": True, "WTF_CSRF_ENABLED": False}
    )
    db = connect(app.config["SCREENING_DATABASE"])
    for name, (role, organisation) in ACCOUNTS.items():
        create_user(db, name, PASSWORD, role, organisation)
    organisation = add_organisation(db)
    driver = Interview(app.test_client())
    driver.login("officer_a1")
    driver.start()
    driver.run(IN_DANGER)
    completed = driver.reference
    response = driver.client.post(
        f"/s/{completed}/refer",
        data={"organisation": organisation, "priority": "urgent", "consent": "yes", "items": ["answers"]},
    )
    assert response.status_code == 302
    referral = next(db.query("select id from referrals"))["id"]
    driver.start()
    driver.answer("danger_now", danger_now="no")
    ids = {"c": completed, "d": driver.reference, "r": referral}
    db.close()
    yield app, ids
    passwords.PASSWORD_METHOD = saved


def client_of(app, name):
    driver = Interview(app.test_client())
    assert driver.login(name).status_code == 302
    return driver.client


def reach(client, method, path, data, ids):
    path = path.format(**ids)
    data = {k: v.format(**ids) if isinstance(v, str) else v for k, v in (data or {}).items()}
    return client.open(path, method=method, data=data if method == "POST" else None)


@pytest.mark.parametrize("name", list(ACCOUNTS))
@pytest.mark.parametrize(("method", "path", "data", "who"), SURFACES)
def test_each_surface_is_reached_only_by_those_the_access_rule_names(world, name, method, path, data, who):
    app, ids = world
    response = reach(client_of(app, name), method, path, data, ids)
    allowed = name in (SEE_CASES if who == "case" else ADMINS)
    if allowed:
        assert response.status_code in (200, 302), (name, path, response.status_code)
        assert "/login" not in response.headers.get("Location", "")
    else:
        assert response.status_code == 404, (name, path, response.status_code)


@pytest.mark.parametrize(("method", "path", "data", "who"), SURFACES)
def test_nobody_logged_out_reaches_a_surface(world, method, path, data, who):
    app, ids = world
    response = reach(app.test_client(), method, path, data, ids)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("name", list(ACCOUNTS))
def test_the_lists_the_desk_and_the_statistics_show_a_case_only_to_those_who_see_it(world, name):
    app, ids = world
    client = client_of(app, name)
    sees = name in SEE_CASES
    link = f'href="/s/{ids["c"]}"'
    assert (link in client.get("/").get_data(as_text=True)) is sees
    assert (link in client.get("/desk").get_data(as_text=True)) is sees
    assert (link in client.get("/desk", query_string={"reference": ids["c"]}).get_data(as_text=True)) is sees
    exported = json.loads(client.get("/statistics/cases.json").get_data(as_text=True))
    assert len(exported["rows"]) == (1 if sees else 0)
    tables = list(csv.reader(io.StringIO(client.get("/statistics/tables.csv").get_data(as_text=True))))
    assert any(row[:2] == ["outcome", "Presumed victim"] for row in tables) is sees
    page = client.get("/statistics").get_data(as_text=True)
    assert ("Presumed victim" in page) is sees


def test_the_rule_counts_cases_by_the_organisation_they_were_opened_in_not_the_officers_present_one(world):
    app, ids = world
    db = connect(app.config["SCREENING_DATABASE"])
    try:
        db.execute("update users set organisation = 'Labour Office' where username = 'officer_a1'")
        moved = client_of(app, "officer_a1")
        assert moved.get(f"/s/{ids['c']}").status_code == 404
        assert client_of(app, "supervisor_a").get(f"/s/{ids['c']}").status_code == 200
        assert client_of(app, "supervisor_b").get(f"/s/{ids['c']}").status_code == 404
    finally:
        db.execute("update users set organisation = 'Border Police' where username = 'officer_a1'")
        db.close()
