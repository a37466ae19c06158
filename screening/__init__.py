"""Victim-identification screening for frontline officers: the application factory."""

from pathlib import Path

from flask import Flask

from screening.config import TEMPLATES_DIR, Settings


def create_app(config=None):
    """Create the app: settings, database, encryption, signing key, security, languages, accounts, pages, commands."""
    # Imported here, so that importing one part of the package (the instrument, say) loads nothing else.
    from screening import commands, views
    from screening.accounts import auth
    from screening.db import connection
    from screening.i18n import languages
    from screening.protection import certificates, crypto, security

    app = Flask(__name__, template_folder=str(TEMPLATES_DIR))
    app.config.update(Settings().as_flask_config())
    if config:
        app.config.update(config)
    app.config["SCREENING_DATA_DIR"] = data_dir = Path(app.config["SCREENING_DATA_DIR"])
    app.config.setdefault("SCREENING_DATABASE", data_dir / "screening.db")
    connection.init_app(app)
    crypto.init_app(app)
    certificates.init_app(app)
    security.init_app(app)
    languages.init_app(app)
    auth.init_app(app)
    views.init_app(app)
    commands.init_app(app)
    return app
