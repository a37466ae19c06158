"""Text that someone typed is never markup: markup in every field of every form comes back escaped, errors included.

Flask-Babel's lazy strings count as safe HTML in Jinja, so a message formatted
with typed text must never be one (i18n/lazy.py refuses it at once).
"""

import io
import re

import pytest
from flask_babel.speaklater import LazyString

from screening.i18n.lazy import lazy_gettext
from tests.conftest import Interview
from tests.test_audit_coverage import POSTS, world  # noqa: F401 - the fixture

MARKUP = '<script>alert("x")</script><b onmouseover=alert(1)>'
FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')


def test_lazy_text_refuses_plain_text_in_a_placeholder():
    with pytest.raises(TypeError, match="numbers or lazy text only"):
        lazy_gettext("'%(code)s' is not a language code", code=MARKUP)
    assert isinstance(lazy_gettext("Use at most %(max)d characters", max=100), LazyString)
    assert isinstance(lazy_gettext("%(a)s", a=lazy_gettext("Yes")), LazyString)


def test_no_module_takes_lazy_text_from_flask_babel_directly():
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "screening"
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "lazy.py" and re.search(r"from flask_babel import .*lazy_gettext", path.read_text())
    ]
    assert offenders == []


def test_the_directorys_language_check_shows_a_typed_script_as_text(app, users):
    admin = Interview(app.test_client())
    admin.login("admin")
    data = {"name": "EXAMPLE - Clinic", "kind": "medical", "print_lang": "en", "languages": MARKUP}
    page = admin.client.post("/directory/new", data=data).get_data(as_text=True)
    assert "is not a language code this app knows" in page
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("endpoint", sorted(e for e in POSTS if e not in ("auth.logout", "admin.unlock")))
def test_markup_in_every_field_of_every_form_comes_back_escaped(app, db, world, endpoint):  # noqa: F811
    name, path, _data, _action = POSTS[endpoint]
    driver = Interview(app.test_client())
    if name:
        driver.login(name)
    path = path.format(**world)
    if endpoint == "auth.reauth":
        path += "?next=/"
    form_page = driver.client.get(path)
    fields = (
        set(FIELD.findall(form_page.get_data(as_text=True))) - {"csrf_token"} if form_page.status_code == 200 else set()
    )
    if endpoint.startswith("casework.") or endpoint in ("interview.resume",):
        fields |= {"text", "earlier", "status", "reason", "confirm"}
    data = {field: MARKUP for field in fields}
    if "file" in data:
        data["file"] = (io.BytesIO(MARKUP.encode()), "directory.csv")
    response = driver.client.post(path, data=data, content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code < 500
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page, endpoint
    assert "<b onmouseover" not in page, endpoint
