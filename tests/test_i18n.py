"""Languages: negotiation order, the switcher, lang and dir, start-up checks, dates, the command line."""

import re

import pytest
from flask_babel import gettext

from screening import create_app
from screening.i18n import dates
from screening.i18n import languages as i18n
from screening.i18n.languages import LANGUAGE_NAMES, LocaleError, usable_locales
from tests.conftest import PASSWORD, Interview


def html_lang(response):
    return re.search(r'<html lang="([^"]+)" dir="([^"]+)">', response.get_data(as_text=True)).groups()


@pytest.mark.parametrize(
    ("query", "session_lang", "accept", "expected"),
    [
        ("?lang=th", "km", "vi", "th"),
        ("", "km", "vi", "km"),
        ("", None, "vi,en;q=0.5", "vi"),
        ("", None, "zh-CN,zh;q=0.9", "zh-Hans"),
        ("", None, "zh-Hans", "zh-Hans"),
        ("", None, "fr", "en"),
        ("?lang=xx", None, "lo", "lo"),
        ("?lang=<script>", "my", None, "my"),
    ],
)
def test_the_interface_language_is_chosen_in_the_documented_order(client, query, session_lang, accept, expected):
    if session_lang:
        with client.session_transaction() as session:
            session["lang"] = session_lang
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get(f"/login{query}", headers=headers)
    assert html_lang(response) == (expected, "ltr")


def test_the_accounts_saved_language_comes_after_the_session_and_before_the_browser(app, client, users, db):
    db.execute("update users set locale = 'lo' where username = 'officer'")
    Interview(client).login()
    assert html_lang(client.get("/", headers={"Accept-Language": "vi"}))[0] == "lo"
    with client.session_transaction() as session:
        session["lang"] = "km"
    assert html_lang(client.get("/", headers={"Accept-Language": "vi"}))[0] == "km"


def test_an_explicit_choice_is_saved_to_the_account_and_kept_in_a_new_session(app, client, users, db):
    Interview(client).login()
    client.get("/?lang=my")
    assert next(db.query("select locale from users where username = 'officer'"))["locale"] == "my"
    fresh = app.test_client()
    Interview(fresh).login()
    assert html_lang(fresh.get("/"))[0] == "my"


def test_the_switcher_is_plain_links_naming_each_language_in_itself(client):
    page = client.get("/login?lang=en").get_data(as_text=True)
    for code, name in LANGUAGE_NAMES.items():
        tag = code.replace("_", "-")
        if code == "en":
            assert f'<strong lang="en">{name}</strong>' in page
        else:
            assert f'<a href="?lang={code}" lang="{tag}" hreflang="{tag}">{name}</a>' in page
    # No script of its own: the only one on the page keeps the static files (views/worker.py).
    assert page.count("<script") == 1
    assert '<script src="/static/worker.js"' in page


def test_the_switcher_keeps_the_page_and_its_arguments(interview, client):
    page = client.get("/desk?status=completed&page=2").get_data(as_text=True)
    assert 'href="?status=completed&amp;page=2&amp;lang=th"' in page


def test_a_configured_locale_without_a_catalog_is_dropped_and_a_default_without_one_stops_the_app(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    assert usable_locales(("en", "th"), "en") == ("en",)
    with pytest.raises(LocaleError, match="'th' has no compiled catalog"):
        usable_locales(("en", "th"), "th")
    with pytest.raises(LocaleError, match="unknown locale"):
        usable_locales(("en", "klingon"), "en")
    # A language of the interview only has no interface to default to.
    with pytest.raises(LocaleError, match="interview only"):
        usable_locales(("en", "hi"), "hi")


def test_the_app_refuses_to_start_with_an_unusable_default(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path / "empty")
    with pytest.raises(LocaleError):
        create_app({"SCREENING_DATA_DIR": tmp_path, "SCREENING_DEFAULT_LOCALE": "km"})


def test_every_locale_is_offered_once_its_catalog_is_compiled(app):
    assert app.config["SCREENING_LOCALES_USABLE"] == tuple(LANGUAGE_NAMES)


@pytest.mark.parametrize(
    ("lang", "config", "expected"),
    [
        ("en", {}, "11/29/26, 1:05\u202fPM"),
        ("th", {}, "29/11/2569 13:05"),
        ("th", {"SCREENING_BUDDHIST_ERA_LOCALES": ()}, "29/11/26 13:05"),
        ("vi", {}, "13:05 29/11/26"),
        ("en", {"SCREENING_TIMEZONE": "Asia/Bangkok"}, "11/29/26, 8:05\u202fPM"),
    ],
)
def test_dates_follow_the_locale_and_thai_uses_the_buddhist_era(tmp_path, lang, config, expected):
    app = create_app({"SCREENING_DATA_DIR": tmp_path, **config})
    with app.test_request_context(f"/?lang={lang}"):
        assert dates.datetime_short("2026-11-29T13:05:00+00:00") == expected


def test_commands_speak_the_shells_language(app, runner, monkeypatch):
    monkeypatch.setenv("LANG", "th_TH.UTF-8")
    result = runner.invoke(args=["users", "create", "somchai", "--role", "officer"])
    assert result.exit_code == 0
    english = "Created the officer account somchai."
    assert "somchai" in result.output
    assert english not in result.output


@pytest.mark.parametrize("code", [c for c in LANGUAGE_NAMES if c != "en"])
def test_an_officer_sees_the_interface_in_their_language(client, users, code):
    Interview(client).login()
    page = client.get(f"/?lang={code}").get_data(as_text=True)
    with client.application.test_request_context(f"/?lang={code}"):
        translated = gettext("Start a new screening")
    assert translated != "Start a new screening"
    assert translated in page
    assert "Start a new screening" not in page


def test_a_language_chosen_on_the_login_page_stays_after_logging_in_and_becomes_the_accounts(client, db, users):
    client.get("/login?lang=th")
    response = client.post("/login", data={"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert 'lang="th"' in client.get("/").get_data(as_text=True)
    assert next(db.query("select locale from users where username = 'officer'"))["locale"] == "th"
