"""Hostile text in every field: refused when it hides characters, otherwise stored and shown as plain text."""

import io

import pytest
from pypdf import PdfReader

from screening.cases import records as cases
from screening.referral import person
from tests.conftest import IN_DANGER, actor, add_organisation, refer

SCRIPT = "<script>alert(1)</script>"
MARKUP = "<b>bold</b> & <img src=x onerror=alert(1)>"
SQL = "Robert'); DROP TABLE screenings;--"
HIDDEN = ["bell\x07", "null\x00byte", "escape\x1b[31m", "evil\u202etxt.exe", "iso\u2066late"]


@pytest.mark.parametrize("text", [SCRIPT, MARKUP, SQL])
def test_hostile_text_in_the_post_is_stored_as_typed_and_escaped_on_every_page(interview, client, db, text):
    interview.start(post=text)
    assert next(db.query("select post from screenings"))["post"] == text
    assert next(db.query("select count(*) as n from screenings"))["n"] == 1
    interview.run({})
    page = client.get(f"/s/{interview.reference}").get_data(as_text=True)
    assert text not in page
    assert "&lt;" in page or "&#39;" in page


@pytest.mark.parametrize("text", HIDDEN)
@pytest.mark.parametrize(
    ("path", "field", "extra"),
    [
        ("/new", "post", {"interview_lang": "en", "interpreter": "none", "private": "y"}),
        ("/account", "full_name", {}),
    ],
)
def test_invisible_controls_and_direction_overrides_are_refused(interview, client, db, text, path, field, extra):
    page = client.post(path, data={field: text, **extra}).get_data(as_text=True)
    assert "Remove the invisible control characters" in page
    assert next(db.query("select count(*) as n from screenings"))["n"] == 0


@pytest.mark.parametrize("text", HIDDEN)
def test_the_person_and_the_officers_reason_refuse_invisible_controls(interview, client, db, text):
    interview.start()
    interview.run(IN_DANGER)
    page = client.post(f"/s/{interview.reference}/person", data={"name": text}).get_data(as_text=True)
    assert "Remove the invisible control characters" in page
    assert not list(db.query("select * from people"))


def test_very_long_text_is_refused_with_its_limit(interview, client, db):
    interview.start()
    interview.run(IN_DANGER)
    page = client.post(f"/s/{interview.reference}/person", data={"name": "x" * 5000}).get_data(as_text=True)
    assert "Use at most 100 characters" in page


@pytest.mark.parametrize("text", [SCRIPT, MARKUP, SQL])
def test_hostile_text_prints_as_text_in_the_pdf(app, interview, client, db, users, text):
    interview.start(post=text)
    interview.run(IN_DANGER)
    screening = cases.find(db, interview.reference)
    person.save(db, actor(db), screening, name=text, contact=text, date_of_birth="")
    organisation = db["organisations"].get(add_organisation(db, name=f"EXAMPLE {text}"))
    referral = refer(db, screening, organisation, users["officer"])
    response = client.get(f"/s/{interview.reference}/referrals/{referral['id']}.pdf?lang=en")
    assert response.status_code == 200
    extracted = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    flat = " ".join(extracted.split())
    assert " ".join(text.split()) in flat


# --- one rule wherever text enters ------------------------------------------------------------


@pytest.fixture
def admin(app, users):
    from tests.conftest import Interview

    driver = Interview(app.test_client())
    driver.login("admin")
    return driver.client


@pytest.mark.parametrize("text", HIDDEN)
@pytest.mark.parametrize("column", ["name", "email", "area", "languages", "notes"])
def test_the_directory_import_refuses_hidden_characters_in_any_column(admin, db, text, column):
    cells = {"name": "EXAMPLE - Clinic", "kind": "medical", "print_language": "en", "email": "a@example.org"}
    cells[column] = cells.get(column, "") + text
    header = ",".join(cells)
    body = ",".join('"' + value.replace('"', '""') + '"' for value in cells.values())
    file = (io.BytesIO(f"{header}\n{body}\n".encode()), "directory.csv")
    page = admin.post("/directory/import", data={"file": file}, content_type="multipart/form-data")
    assert f"Row 2: {column} holds invisible control characters" in page.get_data(as_text=True)
    assert list(db.query("select * from organisations")) == []


@pytest.mark.parametrize("text", HIDDEN)
@pytest.mark.parametrize("field", ["email", "languages"])
def test_the_directory_form_refuses_hidden_characters_in_the_email_and_languages(admin, db, text, field):
    data = {"name": "EXAMPLE - Clinic", "kind": "medical", "print_lang": "en", field: "a@example.org" + text}
    page = admin.post("/directory/new", data=data).get_data(as_text=True)
    assert "Remove the invisible control characters" in page
    assert list(db.query("select * from organisations")) == []


def test_a_username_with_a_direction_override_is_refused_at_login(client, db, users):
    page = client.post("/login", data={"username": "adm\u202enimda", "password": "x"}).get_data(as_text=True)
    assert "Remove the invisible control characters" in page
    assert list(db.query("select * from login_attempts")) == []


def test_the_audit_page_shows_hidden_characters_instead_of_obeying_them(admin, db):
    from screening.protection import audit

    audit.record(db, "login_failed", audit.Actor(None, "adm\u202enimda", "10.0.0.\u20661"), detail={"why": "failed"})
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "adm[U+202E]nimda" in page
    assert "10.0.0.[U+2066]1" in page
    assert "\u202e" not in page
    assert "\u2066" not in page
