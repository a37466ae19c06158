"""Web security in one place: the secret key, session cookies, CSRF, headers, and the reverse proxy.

A phone may be left unlocked at a border post and the post's Wi-Fi may be
watched: sessions end after a short idle time, nothing is cached, the pages may
not be framed, and no script runs but our own files.

Behind the reverse proxy that puts HTTPS in front (README), every request comes
from the proxy's address. ``SCREENING_PROXIES`` says how many proxies stand in
front; only then are their ``X-Forwarded-For`` and ``X-Forwarded-Proto`` headers
believed (werkzeug's ProxyFix), so that the login throttle and the audit trail
see each phone's own address. Without the setting the headers are ignored: a
client could otherwise claim any address it liked.
"""

import contextlib
import os
import secrets
from datetime import timedelta

from flask import request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
SECRET_KEY_BYTES = 32
STATIC_MAX_AGE = 3600
# The largest request accepted: a directory CSV is the biggest thing anyone uploads.
MAX_REQUEST_BYTES = 2 * 1024 * 1024

csrf = CSRFProtect()

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def load_secret_key(configured, data_dir):
    """Return the session key: the configured one, or a random one kept in the data folder."""
    if configured:
        return configured
    path = data_dir / SECRET_KEY_FILE
    if not path.exists():
        # Written in full under a private name, then linked into place: two workers
        # starting together end up with the same key, never a half-written one.
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.new")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(SECRET_KEY_BYTES))
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink()
    return path.read_text().strip()


# The one page that may use the microphone: recording a text (views/audio.py); this site only.
MICROPHONE_POLICY = "camera=(), microphone=(self), geolocation=(), payment=(), usb=()"
# Kept by the phone: the app's static files, and recorded clips, addressed by the hash of their content
# and only the app's own texts read aloud (never anything about a person).
CACHED_ENDPOINTS = ("static", "audio.clip")


def add_headers(response):
    """Add the security headers, and forbid caching of anything but static files and recorded clips."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in CACHED_ENDPOINTS or response.status_code not in (200, 206, 304):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app):
    """Configure the key, cookies and CSRF, and register the request hooks."""
    app.secret_key = load_secret_key(app.config["SCREENING_SECRET_KEY"], app.config["SCREENING_DATA_DIR"])
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=app.config["SCREENING_SESSION_HOURS"]),
        # The cookie is sent again only when it changes: it expires when the session's lifetime
        # after login does (the server ends the session then too), and a slow network is spared
        # a Set-Cookie header on every page.
        SESSION_REFRESH_EACH_REQUEST=False,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        # Static files (style sheet, fonts) may be kept an hour: slow networks.
        SEND_FILE_MAX_AGE_DEFAULT=STATIC_MAX_AGE,
    )
    app.config["SESSION_COOKIE_SECURE"] = app.config["SCREENING_PUBLIC_URL"].startswith("https:")
    csrf.init_app(app)
    app.after_request(add_headers)
    proxies = int(app.config["SCREENING_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
