"""No request ends in a 500: numbers too big for SQLite, dates at the calendar's end, bogus formats, hostile paths."""

import itertools
import re

import pytest

from tests.conftest import IN_DANGER, Interview

HUGE = "99999999999999999999"
HOSTILE_VALUES = [HUGE, "-1", "0", "1e9", "x" * 3000, "%00", "..%2f..%2fetc", "<script>", "ÿ", "١٢٣"]


@pytest.fixture
def admin(app, users):
    driver = Interview(app.test_client())
    driver.login("admin")
    return driver


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/accounts/{HUGE}",
        f"/admin/accounts/{HUGE}/reset",
        f"/directory/{HUGE}",
        "/admin/accounts/0",
        "/directory/-5",
    ],
)
def test_an_id_too_large_for_sqlite_or_below_one_is_not_found(admin, path):
    assert admin.client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path", [f"/desk?page={HUGE}", f"/admin/audit?page={HUGE}", "/desk?page=-3", "/admin/audit?page=x"]
)
def test_a_page_number_out_of_range_shows_a_page(admin, path):
    response = admin.client.get(path)
    assert response.status_code == 200
    assert "Page 1 of 1" in response.get_data(as_text=True) or "Page" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "dates", ["date_to=9999-12-31", "date_from=9999-12-31&date_to=9999-12-31", "date_from=0001-01-01"]
)
def test_dates_at_the_ends_of_the_calendar_filter_without_failing(admin, dates):
    assert admin.client.get(f"/desk?{dates}").status_code == 200


def test_a_bogus_export_format_is_not_found_and_leaves_no_audit_entry(admin, db):
    before = next(db.query("select count(*) as n from audit"))["n"]
    for fmt in ("x" * 2000, "xml", "csv.exe"):
        assert admin.client.get(f"/statistics/cases.{fmt}").status_code == 404
    assert next(db.query("select count(*) as n from audit"))["n"] == before


def test_a_referral_id_too_large_for_sqlite_is_not_found(app, interview, client):
    interview.start()
    interview.run(IN_DANGER)
    for path in (
        f"/s/{interview.reference}/referrals/{HUGE}.pdf",
        f"/s/{interview.reference}/referrals/{HUGE}/info.pdf",
    ):
        assert client.get(path).status_code == 404
    assert (
        client.post(f"/s/{interview.reference}/referrals/{HUGE}/followup", data={"status": "received"}).status_code
        == 404
    )


def paths_of(rule, values):
    """Return the rule's path with each of its variables set, in turn, to every value given for it."""
    names = sorted(rule.arguments)
    for chosen in itertools.product(*(values.get(name, HOSTILE_VALUES) for name in names)):
        path = rule.rule
        for name, value in zip(names, chosen, strict=True):
            path = re.sub(rf"<(?:[^:>]+:)?{name}>", value, path)
        yield path


def test_no_get_route_answers_500_whatever_its_path_holds(app, admin, db):
    admin.start()
    admin.run(IN_DANGER)
    real = {"reference": [admin.reference, *HOSTILE_VALUES]}
    rules = [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"]
    assert len(rules) > 20
    for rule in rules:
        for path in paths_of(rule, real):
            response = admin.client.get(path)
            assert response.status_code < 500, (rule.rule, path, response.status_code)


@pytest.mark.parametrize(
    "query", ["page", "sort", "lang", "date_from", "date_to", "status", "outcome", "officer", "paper"]
)
def test_no_page_answers_500_whatever_its_query_holds(app, admin, interview, query):
    paths = ["/", "/desk", "/statistics", "/admin/accounts", "/admin/audit", "/directory/"]
    for path in paths:
        for value in HOSTILE_VALUES:
            assert admin.client.get(path, query_string={query: value}).status_code < 500, (path, query, value)
