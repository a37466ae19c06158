"""The entry point for the production server (gunicorn) and for ``flask --app wsgi``."""

from screening import create_app

app = create_app()
