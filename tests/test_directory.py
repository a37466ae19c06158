"""The directory of services: administrators add, change, deactivate, import and export organisations."""

import csv
import html
import io
import re
from pathlib import Path

import pytest

from screening import create_app
from screening.db.connection import connect
from screening.i18n.languages import LANGUAGE_NAMES
from screening.instrument.scoring import assess
from screening.instrument.vocabulary import SERVICES
from screening.protection.spreadsheet import neutralise, unneutralise
from screening.referral.directory import (
    KIND_HELP,
    KINDS,
    SERVICE_KINDS,
    active_organisations,
    get_organisation,
    save,
    suggested_kinds,
)
from screening.referral.directory_csv import COLUMNS, MAX_IMPORT_ROWS
from tests.conftest import PASSWORD, Interview, create_user

EXAMPLE = Path(__file__).resolve().parent.parent / "screening" / "examples" / "directory-example.csv"
HEADER = ",".join(COLUMNS)
# What an administrator types for a new organisation.
TYPED = {
    "name": "Hope Shelter",
    "kind": "shelter",
    "area": "Bangkok",
    "languages": "th, KM,en",
    "phone": "02 123 4567",
    "email": "intake@hope.example.org",
    "address": "12 Soi Example\r\nBangkok 10110",
    "contact_person": "Khun Ploy",
    "print_lang": "th",
    "notes": "Open day and night.",
    "active": "y",
}
# Columns that say when a row was written, not what it holds.
BOOKKEEPING = ("id", "created_at", "updated_at")


def text_of(response):
    """Return a page as a person reads it: entities such as &#39; turned back into characters."""
    return html.unescape(response.get_data(as_text=True))


def rows_of(db):
    """Return the organisations as stored, by name, without their ids and timestamps."""
    rows = db.query("select * from organisations order by name")
    return [{k: v for k, v in row.items() if k not in BOOKKEEPING} for row in rows]


def count(db):
    """Return how many organisations are stored."""
    return next(db.query("select count(*) as n from organisations"))["n"]


def add(db, app, **fields):
    """Store an organisation directly; return its id."""
    values = {"kind": "shelter", "print_lang": "en", "active": True, **fields}
    with app.app_context():
        return save(db, values)


def upload(client, content, filename="directory.csv"):
    """Post a CSV file (text or bytes) to the import page and return the response."""
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/directory/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def line(name, kind="shelter", print_language="en", **cells):
    """Return one CSV row under the full header."""
    out = io.StringIO()
    values = {"name": name, "kind": kind, "print_language": print_language, "active": "yes", **cells}
    csv.writer(out, lineterminator="").writerow([values.get(column, "") for column in COLUMNS])
    return out.getvalue()


def csv_text(*rows, header=HEADER):
    """Return a CSV file's text: the header, then the rows, with spreadsheet line ends."""
    return "\r\n".join([header, *rows]) + "\r\n"


@pytest.fixture
def admin(client, users):
    """Return a client logged in as the administrator."""
    Interview(client).login("admin")
    return client


# --- the list, and who may see it ------------------------------------------------------


def test_the_directory_ships_empty_and_offers_the_example(admin, db):
    page = text_of(admin.get("/directory/"))
    assert count(db) == 0
    assert "The directory is empty" in page
    assert 'href="/directory/example.csv"' in page
    assert 'href="/directory/new"' in page


def test_the_directory_link_is_shown_to_administrators_only(app, users):
    for name, shown in [("admin", True), ("supervisor", False), ("officer", False)]:
        client = app.test_client()
        Interview(client).login(name)
        assert ('href="/directory/"' in client.get("/").get_data(as_text=True)) is shown


DIRECTORY_PAGES = [
    ("get", "/directory/"),
    ("get", "/directory/new"),
    ("post", "/directory/new"),
    ("get", "/directory/{id}"),
    ("post", "/directory/{id}"),
    ("get", "/directory/import"),
    ("post", "/directory/import"),
    ("get", "/directory/export.csv"),
    ("get", "/directory/example.csv"),
]


@pytest.mark.parametrize("name", ["officer", "supervisor"])
@pytest.mark.parametrize(("method", "path"), DIRECTORY_PAGES)
def test_officers_and_supervisors_find_no_directory_pages(app, db, users, name, method, path):
    organisation_id = add(db, app, name="Hope Shelter")
    client = app.test_client()
    Interview(client).login(name)
    response = getattr(client, method)(path.format(id=organisation_id), data={**TYPED, "name": "Changed"})
    assert response.status_code == 404
    assert "Hope Shelter" not in response.get_data(as_text=True)
    assert [row["name"] for row in rows_of(db)] == ["Hope Shelter"]


@pytest.mark.parametrize(("method", "path"), DIRECTORY_PAGES)
def test_someone_logged_out_is_sent_to_log_in(app, db, client, method, path):
    organisation_id = add(db, app, name="Hope Shelter")
    response = getattr(client, method)(path.format(id=organisation_id), data={**TYPED, "name": "Changed"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert [row["name"] for row in rows_of(db)] == ["Hope Shelter"]


def test_an_organisation_that_does_not_exist_is_a_404(admin):
    assert admin.get("/directory/999").status_code == 404
    assert admin.post("/directory/999", data=TYPED).status_code == 404


@pytest.mark.parametrize("path", ["/directory/", "/directory/new", "/directory/import"])
def test_directory_pages_use_no_inline_script_or_style(admin, path):
    page = admin.get(path).get_data(as_text=True)
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/worker.js" data-worker="/sw.js" defer>']
    assert page.count("<script") == 1
    assert "style=" not in page
    assert "<style" not in page


# --- adding, changing, deactivating -----------------------------------------------------


def test_an_administrator_adds_an_organisation_and_it_is_stored(admin, db):
    response = admin.post("/directory/new", data=TYPED)
    assert response.status_code == 302
    assert response.headers["Location"] == "/directory/"
    (row,) = db.query("select * from organisations")
    assert row["name"] == "Hope Shelter"
    assert row["kind"] == "shelter"
    assert row["area"] == "Bangkok"
    assert row["languages"] == "th,km,en"
    assert row["phone"] == "02 123 4567"
    assert row["email"] == "intake@hope.example.org"
    assert row["address"] == "12 Soi Example\r\nBangkok 10110"
    assert row["contact_person"] == "Khun Ploy"
    assert row["print_lang"] == "th"
    assert row["notes"] == "Open day and night."
    assert row["active"] == 1
    assert row["created_at"] == row["updated_at"]


def test_the_list_shows_name_kind_area_print_language_and_whether_active(admin, db, app):
    admin.post("/directory/new", data=TYPED)
    add(db, app, name="Old Clinic", kind="medical", print_lang="km", active=False)
    page = text_of(admin.get("/directory/"))
    hope = page.index("Hope Shelter")
    clinic = page.index("Old Clinic")
    assert hope < clinic
    assert re.search(r"Hope Shelter.*Shelter · Bangkok.*ไทย.*Active", page[hope:clinic], re.S)
    assert re.search(r"Old Clinic.*Medical care.*ភាសាខ្មែរ.*Inactive", page[clinic:], re.S)
    assert f'href="/directory/{get_id(db, "Hope Shelter")}"' in page
    assert "The directory is empty" not in page


def get_id(db, name):
    """Return the id of the organisation with this name."""
    return next(db.query("select id from organisations where name = ?", [name]))["id"]


def test_the_edit_page_shows_what_is_stored(admin, db):
    admin.post("/directory/new", data=TYPED)
    page = admin.get(f"/directory/{get_id(db, 'Hope Shelter')}").get_data(as_text=True)
    assert 'value="Hope Shelter"' in page
    assert 'value="th,km,en"' in page
    assert re.search(r'id="kind-shelter"[^>]*checked', page)
    assert re.search(r'value="th" selected', page)
    assert "12 Soi Example" in page
    assert re.search(r'id="active-yes"[^>]*checked', page)


def test_an_administrator_changes_an_organisation(admin, db):
    admin.post("/directory/new", data=TYPED)
    organisation_id = get_id(db, "Hope Shelter")
    changed = {**TYPED, "name": "Hope Shelter North", "kind": "psychosocial", "email": "", "print_lang": "km"}
    response = admin.post(f"/directory/{organisation_id}", data=changed)
    assert response.status_code == 302
    row = get_organisation(db, organisation_id)
    assert (row["name"], row["kind"], row["email"], row["print_lang"]) == (
        "Hope Shelter North",
        "psychosocial",
        None,
        "km",
    )
    assert count(db) == 1


def test_saving_an_organisation_under_its_own_name_is_not_a_duplicate(admin, db):
    admin.post("/directory/new", data=TYPED)
    response = admin.post(f"/directory/{get_id(db, 'Hope Shelter')}", data={**TYPED, "notes": "New notes."})
    assert response.status_code == 302
    assert get_organisation(db, get_id(db, "Hope Shelter"))["notes"] == "New notes."


def test_deactivating_keeps_the_organisation_but_stops_offering_it(admin, db):
    admin.post("/directory/new", data=TYPED)
    admin.post("/directory/new", data={**TYPED, "name": "Another Shelter"})
    organisation_id = get_id(db, "Hope Shelter")
    unticked = {k: v for k, v in TYPED.items() if k != "active"}
    assert admin.post(f"/directory/{organisation_id}", data=unticked).status_code == 302
    assert get_organisation(db, organisation_id)["active"] == 0
    assert count(db) == 2
    assert [row["name"] for row in active_organisations(db)] == ["Another Shelter"]
    assert admin.post(f"/directory/{organisation_id}", data=TYPED).status_code == 302
    assert get_organisation(db, organisation_id)["active"] == 1


def test_active_organisations_are_ordered_by_name_whatever_the_case(app, db):
    for name in ["zeta", "Alpha", "beta"]:
        add(db, app, name=name)
    add(db, app, name="Gone", active=False)
    assert [row["name"] for row in active_organisations(db)] == ["Alpha", "beta", "zeta"]
    assert get_organisation(db, 12345) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "   "}, "Enter the name of the organisation"),
        ({"name": "existing SHELTER"}, "Another organisation has this name. Choose a different name."),
        ({"kind": "hospital"}, "Choose one of the kinds shown"),
        ({"kind": None}, "Choose the kind of service"),
        ({"email": "intake at hope"}, "Enter an email address such as name@example.org"),
        ({"languages": "th, xx ,en"}, "'xx' is not a language code this app knows"),
        ({"print_lang": ""}, "Choose the language to print referrals in"),
        ({"print_lang": "klingon"}, "Choose the language to print referrals in"),
        ({"name": "x" * 201}, "Use at most 200 characters"),
    ],
)
def test_a_mistake_is_explained_and_nothing_typed_is_lost(admin, app, db, change, message):
    add(db, app, name="Existing Shelter")
    data = {k: v for k, v in {**TYPED, **change}.items() if v is not None}
    response = admin.post("/directory/new", data=data)
    page = text_of(response)
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert page.count(message) == 2, "in the error summary and next to the field"
    assert count(db) == 1
    for field in ("name", "area", "languages", "phone", "email", "contact_person"):
        assert f'value="{data[field].strip()}"' in page
    assert "12 Soi Example" in page
    assert "Open day and night." in page
    assert re.search(r'id="active-yes"[^>]*checked', page)
    if data.get("kind") == "shelter":
        assert re.search(r'id="kind-shelter"[^>]*checked', page)
    if data["print_lang"] == "th":
        assert 'value="th" selected' in page


def test_a_burmese_address_typed_in_zawgyi_is_converted_and_shown_back(admin, db):
    zawgyi, unicode = "ျမန္မာ", "မြန်မာ"
    page = text_of(admin.post("/directory/new", data={**TYPED, "address": zawgyi}))
    assert "Zawgyi" in page
    assert unicode in page
    assert count(db) == 0


# --- CSV export -------------------------------------------------------------------------


def test_the_export_is_a_utf8_csv_download_with_stable_column_names(admin, db, app):
    add(db, app, name="Bãi Cháy Shelter", languages="vi,en", print_lang="vi", active=False)
    response = admin.get("/directory/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_data()
    assert not data.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    header, row = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert header == list(COLUMNS)
    assert dict(zip(header, row, strict=True)) == {
        **dict.fromkeys(COLUMNS, ""),
        "name": "Bãi Cháy Shelter",
        "kind": "shelter",
        "languages": "vi,en",
        "print_language": "vi",
        "active": "no",
    }


@pytest.mark.parametrize(
    ("stored", "exported"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+66 2 123 4567", "'+66 2 123 4567"),
        ("-5 km from the border", "'-5 km from the border"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("'=1+1", "''=1+1"),
        ("''+1", "'''+1"),
        ("'quoted", "'quoted"),
        ("a = b", "a = b"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote_that_the_import_takes_away(stored, exported):
    assert neutralise(stored) == exported
    assert unneutralise(exported) == stored


def test_formulas_are_neutralised_on_export_and_come_back_unchanged_on_import(admin, app, db, tmp_path):
    add(
        db,
        app,
        name="=cmd|' /C calc'!A0",
        phone="+66 2 123 4567",
        area="-1",
        contact_person="@admin",
        notes="\t=1+1",
        address="'=already quoted",
    )
    exported = admin.get("/directory/export.csv").get_data(as_text=True)
    header, row = list(csv.reader(io.StringIO(exported, newline="")))
    cells = dict(zip(header, row, strict=True))
    for column in ("name", "phone", "area", "contact_person", "notes", "address"):
        assert cells[column].startswith("'"), column
    assert cells["name"] == "'=cmd|' /C calc'!A0"
    other_client, other_db = fresh_admin(tmp_path)
    assert upload(other_client, exported).status_code == 302
    assert rows_of(other_db) == rows_of(db)


# --- CSV import -------------------------------------------------------------------------


def fresh_admin(tmp_path):
    """Return a client logged in as admin on a second, empty app, and that app's database."""
    other = create_app({"SCREENING_DATA_DIR": tmp_path / "other", "TESTING": True, "WTF_CSRF_ENABLED": False})
    other_db = connect(other.config["SCREENING_DATABASE"])
    create_user(other_db, "admin", PASSWORD, "admin")
    client = other.test_client()
    Interview(client).login("admin")
    return client, other_db


def test_export_then_import_into_an_empty_directory_gives_identical_rows(admin, db, tmp_path):
    admin.post("/directory/new", data=TYPED)
    admin.post(
        "/directory/new",
        data={
            "name": 'Ban "Rak" Centre, Mae Sot',
            "kind": "psychosocial",
            "languages": "my,th",
            "address": "Line one,\r\nline two; ที่อยู่",
            "print_lang": "my",
            "notes": 'Quotes " and commas, and = signs',
        },
    )
    admin.post("/directory/new", data={"name": "Closed Hotline", "kind": "hotline", "print_lang": "lo"})
    exported = admin.get("/directory/export.csv").get_data(as_text=True)
    other_client, other_db = fresh_admin(tmp_path)
    response = upload(other_client, exported)
    assert response.status_code == 302
    assert "3 added, 0 updated" in text_of(other_client.get("/directory/"))
    assert rows_of(other_db) == rows_of(db)
    assert other_client.get("/directory/export.csv").get_data(as_text=True) == exported


def test_a_row_with_a_known_name_updates_that_organisation(admin, app, db):
    organisation_id = add(db, app, name="Hope Shelter", phone="111", notes="Keep these notes.")
    response = upload(
        admin,
        csv_text(
            "HOPE shelter,medical,Chiang Mai,th,222,,,,th,yes",
            "New Clinic,medical,,,,,,,en,",
            header="name,kind,area,languages,phone,email,address,contact_person,print_language,active",
        ),
    )
    assert response.status_code == 302
    assert "1 added, 1 updated" in text_of(admin.get("/directory/"))
    row = get_organisation(db, organisation_id)
    assert (row["name"], row["kind"], row["area"], row["phone"]) == ("HOPE shelter", "medical", "Chiang Mai", "222")
    assert row["notes"] == "Keep these notes.", "a column left out of the file is left as it is"
    assert count(db) == 2
    assert get_organisation(db, get_id(db, "New Clinic"))["active"] == 1


def test_one_bad_row_and_nothing_is_imported(admin, app, db):
    add(db, app, name="Hope Shelter", phone="111")
    before = rows_of(db)
    response = upload(
        admin,
        csv_text(
            line("Hope Shelter", phone="999"),
            line("Good Clinic", "medical"),
            line("City Hospital", "hospital"),
            line(""),
        ),
    )
    page = text_of(response)
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "Nothing was imported" in page
    assert f"Row 4: kind 'hospital' is not one of: {', '.join(KINDS)}" in page
    assert "Row 5: the name is missing" in page
    assert "Row 2" not in page
    assert rows_of(db) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (csv_text(line("A", languages="th,xx")), "Row 2: language code 'xx' is not one of: en, id, ms,"),
        (csv_text(line("A", print_language="english")), "Row 2: print_language 'english' is not one of: en, id,"),
        (csv_text(line("A", print_language="")), "Row 2: the print_language is missing"),
        (csv_text(line("A", "")), "Row 2: the kind is missing; use one of: shelter, medical,"),
        (csv_text(line("A", email="not-an-email")), "Row 2: email 'not-an-email' is not an email address"),
        (csv_text(line("A", active="maybe")), "Row 2: active 'maybe' is not yes or no"),
        (csv_text(line("A"), line("a", "medical")), "Row 3: the name 'a' is already on row 2"),
        (csv_text(line("A") + ",surprise"), "Row 2: a cell is outside the named columns"),
        (csv_text(line("x" * 201)), "Row 2: name is longer than 200 characters"),
        (csv_text(line("ျမန္မာ")), "Row 2: name is Burmese typed in the old Zawgyi encoding"),
        (
            csv_text(line("A") + ",x", header=HEADER + ",website"),
            "names columns this app does not know: website",
        ),
        (csv_text("A,shelter", header="name,kind"), "The first row lacks the columns: print_language"),
        (csv_text("A,shelter,en,B", header="name,kind,print_language,name"), "names these columns twice: name"),
        (csv_text(), "has a first row of column names but no organisations"),
        ("", "The file is empty."),
        ("name,kind\r\nCaf\xe9,shelter\r\n".encode("latin-1"), "The file is not in UTF-8"),
    ],
)
def test_a_bad_file_is_refused_with_the_reason(admin, db, content, message):
    response = upload(admin, content)
    assert response.status_code == 200
    assert message in text_of(response)
    assert count(db) == 0


def test_a_file_with_too_many_rows_is_refused(admin, db):
    rows = [line(f"Org {n}") for n in range(MAX_IMPORT_ROWS + 1)]
    assert f"more than {MAX_IMPORT_ROWS} organisations" in text_of(upload(admin, csv_text(*rows)))
    assert count(db) == 0


def test_a_long_list_of_problems_is_cut_short_with_a_count(admin, db):
    rows = [line(f"Org {n}", "hospital") for n in range(60)]
    page = text_of(upload(admin, csv_text(*rows)))
    assert page.count("is not one of") == 50
    assert "and 10 more problems" in page


def test_a_file_from_a_spreadsheet_with_a_byte_order_mark_and_loose_case_imports(admin, db):
    content = '\ufeffName,Kind,Print_Language,Languages\r\nHope,Shelter,TH,"TH, zh-hans"\r\n\r\n,,,\r\n'
    assert upload(admin, content.encode()).status_code == 302
    (row,) = rows_of(db)
    assert (row["name"], row["kind"], row["print_lang"], row["languages"]) == ("Hope", "shelter", "th", "th,zh_Hans")


def test_importing_without_choosing_a_file_asks_for_one(admin, db):
    response = admin.post("/directory/import", data={}, content_type="multipart/form-data")
    assert "Choose a CSV file to import" in text_of(response)


def test_the_import_form_needs_its_csrf_token(tmp_path, users, db):
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token})
    import_page = client.get("/directory/import").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', import_page).group(1)
    content = csv_text(line("Hope Shelter")).encode()
    forged = client.post(
        "/directory/import", data={"file": (io.BytesIO(content), "d.csv")}, content_type="multipart/form-data"
    )
    assert forged.status_code == 400
    assert count(db) == 0
    real = client.post(
        "/directory/import",
        data={"file": (io.BytesIO(content), "d.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert real.status_code == 302
    assert count(db) == 1


def test_a_failure_while_writing_rolls_the_whole_import_back(admin, app, db, monkeypatch):
    from screening.referral import directory_csv

    calls = []

    def save_then_fail(db, values, organisation_id=None):
        calls.append(values["name"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return save(db, values, organisation_id)

    monkeypatch.setattr(directory_csv, "save", save_then_fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = upload(admin, csv_text(line("A"), line("B")))
    assert response.status_code == 500
    assert count(db) == 0


# --- the example file -------------------------------------------------------------------


def test_the_example_file_has_a_plain_header_and_clearly_fake_organisations():
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    rows = list(csv.DictReader(lines))
    assert 3 <= len(rows) <= 4
    assert all(row["name"].startswith("EXAMPLE - ") for row in rows)


def test_the_example_file_imports_cleanly_and_exports_the_same(admin, db):
    download = admin.get("/directory/example.csv")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.get_data() == EXAMPLE.read_bytes()
    assert upload(admin, EXAMPLE.read_bytes()).status_code == 302
    assert count(db) == len(EXAMPLE.read_text().splitlines()) - 1
    assert admin.get("/directory/export.csv").get_data() == EXAMPLE.read_bytes()


# --- which kinds a result calls for -------------------------------------------------------


def test_every_kind_has_help_and_every_service_maps_to_a_kind():
    assert set(KIND_HELP) == set(KINDS)
    assert set(SERVICE_KINDS) == set(SERVICES)
    assert set(SERVICE_KINDS.values()) <= set(KINDS)
    assert set(LANGUAGE_NAMES) >= {"th", "km", "en"}


@pytest.mark.parametrize(
    ("assessment", "kinds"),
    [
        ({"outcome": "not_indicated", "child": True, "other_needs": ["child_protection"]}, ["child_protection"]),
        (
            {"outcome": "presumed", "child": True, "other_needs": ["child_protection", "medical", "shelter"]},
            ["child_protection", "anti_trafficking_police", "medical", "shelter"],
        ),
        ({"outcome": "presumed", "child": False, "other_needs": []}, ["anti_trafficking_police"]),
        (
            {"outcome": "possible", "child": False, "other_needs": ["psychosocial"]},
            ["anti_trafficking_police", "psychosocial"],
        ),
        ({"outcome": "not_indicated", "child": False, "other_needs": ["medical"]}, ["medical"]),
        ({"outcome": "not_indicated", "child": False, "other_needs": ["asylum"]}, ["refugee_agency"]),
        ({"outcome": "not_indicated", "child": False, "other_needs": ["labour_rights"]}, ["labour_office"]),
        ({"outcome": "not_indicated", "child": False, "other_needs": ["migrant_assistance"]}, ["migrant_support"]),
        (
            {"outcome": "not_indicated", "child": False, "other_needs": ["consular", "no_longer_a_service"]},
            ["consular"],
        ),
        ({"outcome": "not_indicated", "child": False, "other_needs": []}, []),
    ],
)
def test_the_kinds_suggested_for_a_result(assessment, kinds):
    assert suggested_kinds(assessment) == kinds


def test_a_child_is_always_referred_to_child_protection_first():
    assessment = assess({"age": 16, "exploitation_forms": ["sexual"]})
    kinds = suggested_kinds(assessment)
    assert kinds[0] == "child_protection"
    assert kinds.count("child_protection") == 1
