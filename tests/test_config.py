"""Settings: read from the environment, and documented in the README exactly as in the code."""

import re
from pathlib import Path

import pytest

from screening import create_app
from screening.config import ENVIRONMENT, Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_the_readme_documents_every_setting_as_the_code_does():
    rows = dict(re.findall(r"^\| `([A-Z_]+)` \| (.+) \|$", README, re.MULTILINE))
    assert rows == ENVIRONMENT


@pytest.mark.parametrize(
    ("variable", "value", "attribute", "expected"),
    [
        ("SCREENING_IDLE_MINUTES", "5", "idle_minutes", 5),
        ("SCREENING_SETUP_TOKEN_MINUTES", "60", "setup_token_minutes", 60),
        ("SCREENING_DEFAULT_LOCALE", "en", "default_locale", "en"),
        ("SCREENING_PUBLIC_URL", "https://post.example", "public_url", "https://post.example"),
    ],
)
def test_a_setting_is_read_from_the_environment(monkeypatch, variable, value, attribute, expected):
    monkeypatch.setenv(variable, value)
    assert getattr(Settings(), attribute) == expected


def test_the_data_folder_comes_from_the_environment_and_holds_the_database_and_key(monkeypatch, tmp_path):
    monkeypatch.setenv("SCREENING_DATA_DIR", str(tmp_path / "post"))
    monkeypatch.delenv("SCREENING_SECRET_KEY", raising=False)
    app = create_app()
    assert app.config["SCREENING_DATABASE"] == tmp_path / "post" / "screening.db"
    assert (tmp_path / "post" / "screening.db").exists()
    key_file = tmp_path / "post" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert app.secret_key == key_file.read_text().strip()
    assert create_app().secret_key == app.secret_key


def test_https_makes_the_session_cookie_secure(tmp_path):
    app = create_app({"SCREENING_DATA_DIR": tmp_path, "SCREENING_PUBLIC_URL": "https://post.example"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    plain = create_app({"SCREENING_DATA_DIR": tmp_path})
    assert plain.config["SESSION_COOKIE_SECURE"] is False


def test_the_setup_link_follows_the_port_unless_a_public_address_is_set(monkeypatch):
    monkeypatch.delenv("SCREENING_PUBLIC_URL", raising=False)
    monkeypatch.setenv("PORT", "8123")
    assert Settings().public_url == "http://127.0.0.1:8123"
    monkeypatch.setenv("SCREENING_PUBLIC_URL", "https://post.example")
    assert Settings().public_url == "https://post.example"


def test_the_data_folder_and_the_database_are_private_to_the_apps_user(tmp_path):
    folder = tmp_path / "private"
    create_app({"SCREENING_DATA_DIR": folder})
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "screening.db").stat().st_mode & 0o777 == 0o600


def test_the_secret_key_comes_from_the_setting_whether_given_in_the_environment_or_in_code(monkeypatch, tmp_path):
    monkeypatch.setenv("SCREENING_SECRET_KEY", "from the environment")
    assert create_app({"SCREENING_DATA_DIR": tmp_path}).secret_key == "from the environment"
    given = create_app({"SCREENING_DATA_DIR": tmp_path, "SCREENING_SECRET_KEY": "given in code"})
    assert given.secret_key == "given in code"
    assert not (tmp_path / "secret_key").exists()
