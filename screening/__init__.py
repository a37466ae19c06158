"""Victim-identification screening for frontline officers: the application factory."""

from pathlib import Path

from flask import Flask

from screening import views
from screening.accounts import auth
from screening.commands import cli as commands
from screening.config import TEMPLATES_DIR, Settings
from screening.db import connection as storage
from screening.i18n import languages as i18n
from screening.protection import crypto, security


def create_app(config=None):
    """Create the app: settings, database, security, languages, accounts, pages, commands."""
    app = Flask(__name__, template_folder=str(TEMPLATES_DIR))
    app.config.update(Settings().as_flask_config())
    if config:
        app.config.update(config)
    app.config["SCREENING_DATA_DIR"] = data_dir = Path(app.config["SCREENING_DATA_DIR"])
    app.config.setdefault("SCREENING_DATABASE", data_dir / "screening.db")
    storage.init_app(app)
    crypto.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    views.init_app(app)
    commands.init_app(app)
    return app
