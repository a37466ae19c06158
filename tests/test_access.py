"""Who may see which case: officers their own, supervisors and admins all; others get a 404."""

import pytest

from tests.conftest import Interview


@pytest.fixture
def case_of_officer(app, users):
    """Return the reference of a completed screening by the first officer."""
    driver = Interview(app.test_client())
    driver.login("officer")
    driver.start()
    driver.run({})
    return driver.reference


@pytest.fixture
def draft_of_officer(app, users):
    """Return the reference of a draft screening by the first officer."""
    driver = Interview(app.test_client())
    driver.login("officer")
    driver.start()
    return driver.reference


def as_user(app, name):
    driver = Interview(app.test_client())
    driver.login(name)
    return driver.client


CASE_PATHS = ["/s/{ref}", "/s/{ref}/check", "/s/{ref}/q/safety", "/s/{ref}/consent", "/s/{ref}/stop"]


@pytest.mark.parametrize("path", CASE_PATHS)
def test_another_officers_case_is_a_404_not_a_403(app, draft_of_officer, path):
    response = as_user(app, "other").get(path.format(ref=draft_of_officer))
    assert response.status_code == 404
    assert draft_of_officer not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/s/{ref}/q/safety", "/s/{ref}/stop", "/s/{ref}/resume", "/s/{ref}/consent"])
def test_another_officer_cannot_write_to_a_case(app, db, draft_of_officer, path):
    response = as_user(app, "other").post(
        path.format(ref=draft_of_officer), data={"danger_now": "yes", "reason": "other"}
    )
    assert response.status_code == 404
    assert next(db.query("select count(*) as n from answers"))["n"] == 0
    assert next(db.query("select status from screenings"))["status"] == "draft"


@pytest.mark.parametrize("name", ["supervisor", "admin"])
def test_supervisors_and_admins_see_every_case(app, case_of_officer, name):
    client = as_user(app, name)
    assert case_of_officer in client.get("/").get_data(as_text=True)
    assert client.get(f"/s/{case_of_officer}").status_code == 200


def test_an_officer_lists_only_their_own_cases(app, case_of_officer):
    assert case_of_officer not in as_user(app, "other").get("/").get_data(as_text=True)
    assert case_of_officer in as_user(app, "officer").get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/new", "/s/{ref}", "/s/{ref}/q/safety", "/account/password"])
def test_nobody_logged_out_sees_a_case(client, case_of_officer, path):
    response = client.get(path.format(ref=case_of_officer))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_reference_that_does_not_exist_is_the_same_404(app, users):
    response = as_user(app, "officer").get("/s/AAAA-BBBB-CCCC")
    assert response.status_code == 404


def test_a_deactivated_account_is_logged_out(app, db, draft_of_officer):
    client = as_user(app, "officer")
    db.execute("update users set active = 0 where username = 'officer'")
    response = client.get(f"/s/{draft_of_officer}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
