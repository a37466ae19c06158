"""The service worker keeps the static files on the phone, and nothing else (screening/views/worker.py)."""

import json
import re

from screening.views.worker import static_version


def settings_of(script):
    """Return the values the service worker was written with."""
    found = dict(re.findall(r"^var (\w+) = (.+);$", script, re.MULTILINE))
    return {name: json.loads(value) for name, value in found.items()}


def test_the_service_worker_is_served_to_anyone_as_a_script_that_is_never_kept_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    # The browser fetches it again at each visit and compares: a new version is taken at once.
    assert response.headers["Cache-Control"] == "no-store"


def test_it_keeps_only_the_static_files_and_lets_everything_else_go_to_the_server(client):
    script = client.get("/sw.js").get_data(as_text=True)
    settings = settings_of(script)
    assert settings["PREFIX"] == "/static/"
    assert settings["AT_ONCE"] == [
        "/static/app.css",
        "/static/fonts/fonts.css",
        "/static/interview.js",
        "/static/worker.js",
    ]
    for url in settings["AT_ONCE"]:
        assert client.get(url).status_code == 200, url
    # Only GET requests for the static folder, on this origin, without a query, are answered from it.
    assert 'request.method !== "GET"' in script
    assert "url.pathname.indexOf(PREFIX) !== 0" in script
    assert "cache.put(request" in script
    assert script.count("cache.put(") == 1


def test_the_cache_is_named_after_the_static_files_so_a_new_version_replaces_it(tmp_path):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "app.css").write_text("body { color: black }")
    (tmp_path / "fonts" / "a.woff2").write_bytes(b"font")
    first = static_version(tmp_path)
    assert static_version(tmp_path) == first
    (tmp_path / "app.css").write_text("body { color: navy }")
    second = static_version(tmp_path)
    assert second != first
    (tmp_path / "fonts" / "a.woff2").rename(tmp_path / "fonts" / "b.woff2")
    assert static_version(tmp_path) not in (first, second)


def test_every_page_registers_it_and_the_app_still_works_without_it(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<script src="/static/worker.js" data-worker="/sw.js" defer></script>' in page
    assert client.get("/static/worker.js").status_code == 200
