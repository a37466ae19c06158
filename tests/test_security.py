"""The web surface: CSRF, headers, cookies, and what URLs carry."""

import gzip
import re

import pytest

from screening import create_app
from tests.conftest import PASSWORD, Interview


@pytest.fixture
def csrf_app(tmp_path, users):
    """Return an app with CSRF protection on, on the same database as ``users``."""
    return create_app({"SCREENING_DATA_DIR": tmp_path, "TESTING": True})


def token_from(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_form_posted_without_the_csrf_token_is_refused_and_nothing_is_saved(csrf_app, db):
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "officer", "password": PASSWORD})
    assert response.status_code == 400
    assert "Your session has ended" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "sid" not in session


def test_a_form_posted_with_the_csrf_token_is_accepted(csrf_app, db):
    client = csrf_app.test_client()
    token = token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "officer", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    new_page = client.get("/new").get_data(as_text=True)
    forged = client.post("/new", data={"post": "x", "interview_lang": "en", "interpreter": "none", "private": "y"})
    assert forged.status_code == 400
    real = client.post(
        "/new",
        data={
            "post": "x",
            "interview_lang": "en",
            "interpreter": "none",
            "private": "y",
            "csrf_token": token_from(new_page),
        },
    )
    assert real.status_code == 302
    assert next(db.query("select count(*) as n from screenings"))["n"] == 1


@pytest.mark.parametrize("path", ["/login", "/exit", "/no-such-page"])
def test_every_page_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-store"
    assert "camera=()" in headers["Permissions-Policy"]


def test_case_pages_are_never_cached(interview, client):
    interview.start()
    response = client.get(interview.url("danger_now"))
    assert response.headers["Cache-Control"] == "no-store"


def test_the_session_cookie_is_httponly_and_strict(client, users):
    response = Interview(client).login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie


def test_case_references_in_urls_are_random_and_nothing_else_identifies_the_person(interview, client):
    interview.start()
    interview.run({"age": "33", "nationality": "MMR"}, until="check")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", interview.reference)
    page = client.get(f"/s/{interview.reference}/check").get_data(as_text=True)
    for href in re.findall(r'href="([^"]+)"', page):
        assert "33" not in href
        assert "MMR" not in href


def test_no_page_uses_inline_script_or_style(interview, client):
    interview.start()
    for path in ["/login", "/", "/new", interview.url("danger_now"), interview.url("age")]:
        page = client.get(path).get_data(as_text=True)
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
        assert set(scripts) == {""}  # script files of our own, never a script written in the page
        sources = re.findall(r'<script src="([^"]+)"[^>]*>', page)
        assert len(sources) == len(scripts)
        assert set(sources) <= {"/static/interview.js", "/static/worker.js"}
        assert "style=" not in page
        assert "<style" not in page


# --- behind the reverse proxy -------------------------------------------------------------

PHONE, OTHER_PHONE = "203.0.113.5", "203.0.113.6"


def proxied_app(tmp_path, proxies):
    """Return an app on a fresh folder with one officer, behind ``proxies`` declared reverse proxies."""
    app = create_app(
        {"SCREENING_DATA_DIR": tmp_path, "TESTING": True, "WTF_CSRF_ENABLED": False, "SCREENING_PROXIES": proxies}
    )
    from screening.db.connection import connect
    from tests.conftest import create_user

    db = connect(app.config["SCREENING_DATABASE"])
    create_user(db, "officer", PASSWORD, "officer")
    db.close()
    return app


def login_from(client, address, password):
    return client.post(
        "/login",
        data={"username": "officer", "password": password},
        headers={"X-Forwarded-For": address, "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )


def addresses(app):
    from screening.db.connection import connect

    db = connect(app.config["SCREENING_DATABASE"])
    try:
        return [row["address"] for row in db.query("select address from audit where action like 'login%' order by id")]
    finally:
        db.close()


def test_behind_a_declared_proxy_each_phone_is_throttled_and_audited_by_its_own_address(tmp_path):
    from screening.accounts import throttle

    app = proxied_app(tmp_path, 1)
    client = app.test_client()
    for guess in range(throttle.MAX_ADDRESS_FAILURES):
        client.post(
            "/login",
            data={"username": f"guess{guess}", "password": "wrong"},
            headers={"X-Forwarded-For": PHONE},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
    assert login_from(app.test_client(), PHONE, PASSWORD).status_code == 200  # that phone waits
    response = login_from(app.test_client(), OTHER_PHONE, PASSWORD)
    assert response.status_code == 302  # the post's other phones do not
    assert set(addresses(app)) == {PHONE, OTHER_PHONE}


def test_without_a_declared_proxy_forwarded_headers_are_ignored(tmp_path):
    from screening.accounts import throttle

    app = proxied_app(tmp_path, 0)
    for guess in range(throttle.MAX_ADDRESS_FAILURES):
        app.test_client().post(
            "/login",
            data={"username": f"guess{guess}", "password": "wrong"},
            headers={"X-Forwarded-For": f"198.51.100.{guess}"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
    # A client cannot escape the throttle by claiming another address.
    assert login_from(app.test_client(), OTHER_PHONE, PASSWORD).status_code == 200
    assert set(addresses(app)) == {"127.0.0.1"}


def test_a_declared_proxy_passes_on_the_scheme_the_phone_used(tmp_path):
    app = proxied_app(tmp_path, 1)
    seen = {}

    @app.route("/_scheme")
    def scheme():
        from flask import request

        seen.update(scheme=request.scheme, address=request.remote_addr)
        return ""

    headers = {"X-Forwarded-For": PHONE, "X-Forwarded-Proto": "https"}
    app.test_client().get("/_scheme", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen == {"scheme": "https", "address": PHONE}


def test_the_readme_proxy_adds_every_security_header_to_its_own_error_pages_too():
    from pathlib import Path

    from screening.protection.security import HEADERS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = readme.split("server {", 1)[1].split("\n   ```", 1)[0]
    for name, value in HEADERS.items():
        assert f'add_header {name} "{value}" always;' in block, name
        assert f"proxy_hide_header {name};" in block, name
    assert "add_header Cache-Control" not in block  # the app decides what may be cached
    assert "large_client_header_buffers" in block
    assert "SCREENING_PROXIES=1" in readme


# --- compression ----------------------------------------------------------------------------


def test_pages_style_sheets_and_scripts_come_compressed_to_a_phone_that_reads_gzip(interview, client):
    interview.start()
    for path in (interview.url("danger_now"), "/static/app.css", "/static/interview.js"):
        plain = client.get(path)
        packed = client.get(path, headers={"Accept-Encoding": "gzip, deflate"})
        assert "Content-Encoding" not in plain.headers, path
        assert packed.headers["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in packed.headers["Vary"], path
        assert int(packed.headers["Content-Length"]) < len(plain.get_data()) / 2, path
        unpacked = gzip.decompress(packed.get_data())
        if path.startswith("/static/"):
            assert unpacked == plain.get_data(), path
        else:  # the same page, but for its one-time CSRF token
            assert re.sub(rb'value="[^"]{40,}"', b"", unpacked) == re.sub(rb'value="[^"]{40,}"', b"", plain.get_data())


def test_fonts_and_parts_of_files_are_sent_as_they_are(client):
    font = client.get("/static/fonts/khmer-400.woff2", headers={"Accept-Encoding": "gzip"})
    assert font.status_code == 200
    assert "Content-Encoding" not in font.headers
    part = client.get("/static/app.css", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-99"})
    assert part.status_code == 206
    assert "Content-Encoding" not in part.headers
    assert len(part.get_data()) == 100
