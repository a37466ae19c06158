"""Settings: one object with safe defaults, each overridable from the environment.

Every setting is named here with what it does, so that the README's configuration
table and the code cannot drift apart (tests/test_config.py checks the README).
"""

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = PROJECT_DIR / "templates"
TRANSLATIONS_DIR = PROJECT_DIR / "translations"

SETUP_TOKEN_MINUTES = 30
IDLE_MINUTES = 15
# Counts from 1 to SMALL_NUMBER - 1 are hidden in statistics ("<11").
SMALL_NUMBER = 11
SESSION_HOURS = 12
RETENTION_DAYS = 90
DEFAULT_PORT = 8000


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


@dataclass
class Settings:
    """Everything the app reads from its environment."""

    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("SCREENING_DATA_DIR", "data")).resolve())
    secret_key: str | None = field(default_factory=lambda: os.environ.get("SCREENING_SECRET_KEY"))
    default_locale: str = field(default_factory=lambda: os.environ.get("SCREENING_DEFAULT_LOCALE", "en"))
    locales: str = field(default_factory=lambda: os.environ.get("SCREENING_LOCALES", ""))
    timezone: str = field(default_factory=lambda: os.environ.get("SCREENING_TIMEZONE", "UTC"))
    buddhist_era_locales: tuple = field(
        default_factory=lambda: tuple(
            c.strip() for c in os.environ.get("SCREENING_BUDDHIST_ERA_LOCALES", "th").split(",") if c.strip()
        )
    )
    idle_minutes: int = field(default_factory=lambda: _env_int("SCREENING_IDLE_MINUTES", IDLE_MINUTES))
    session_hours: int = field(default_factory=lambda: _env_int("SCREENING_SESSION_HOURS", SESSION_HOURS))
    setup_token_minutes: int = field(
        default_factory=lambda: _env_int("SCREENING_SETUP_TOKEN_MINUTES", SETUP_TOKEN_MINUTES)
    )
    encryption_key: str | None = field(default_factory=lambda: os.environ.get("SCREENING_ENCRYPTION_KEY"))
    retention_days: int = field(default_factory=lambda: _env_int("SCREENING_RETENTION_DAYS", RETENTION_DAYS))
    small_number: int = field(default_factory=lambda: _env_int("SCREENING_SMALL_NUMBER", SMALL_NUMBER))
    proxies: int = field(default_factory=lambda: _env_int("SCREENING_PROXIES", 0))
    signing_dir: str | None = field(default_factory=lambda: os.environ.get("SCREENING_SIGNING_DIR") or None)
    installation_name: str = field(
        default_factory=lambda: os.environ.get("SCREENING_INSTALLATION_NAME") or "Screening installation"
    )
    replica_url: str = field(default_factory=lambda: os.environ.get("SCREENING_REPLICA_URL", ""))
    replica_lag_minutes: int = field(default_factory=lambda: _env_int("SCREENING_REPLICA_LAG_MINUTES", 5))
    public_url: str = field(
        default_factory=lambda: os.environ.get(
            "SCREENING_PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('PORT') or DEFAULT_PORT}"
        )
    )

    def as_flask_config(self):
        """Return the settings as upper-case Flask config keys."""
        return {f"SCREENING_{f.name.upper()}": getattr(self, f.name) for f in fields(self)}


ENVIRONMENT = {
    "SCREENING_DATA_DIR": "Folder for the database, the secret key and the encryption key (default ./data).",
    "SCREENING_SECRET_KEY": "Session signing key; by default a random key is created in the data folder.",
    "SCREENING_DEFAULT_LOCALE": "Interface language when nothing else chooses one (default en).",
    "SCREENING_LOCALES": "Languages offered, comma-separated (default: all twenty, nine for the interview only).",
    "SCREENING_TIMEZONE": "Time zone for dates shown, such as Asia/Bangkok (default UTC).",
    "SCREENING_BUDDHIST_ERA_LOCALES": "Languages whose dates show Buddhist-Era years (default th).",
    "SCREENING_IDLE_MINUTES": "Minutes without a request before an officer must log in again (default 15).",
    "SCREENING_SESSION_HOURS": "Hours after login when a session ends, however active (default 12).",
    "SCREENING_SETUP_TOKEN_MINUTES": "Minutes the first-administrator setup link stays valid (default 30).",
    "SCREENING_PUBLIC_URL": "Address printed in the setup link (default http://127.0.0.1:PORT).",
    "SCREENING_ENCRYPTION_KEY": (
        "Fernet keys, comma-separated, the first encrypting; by default encryption.key in the data folder."
    ),
    "SCREENING_SIGNING_DIR": (
        "Folder for the installation's signing key and certificates (default: signing in the data folder)."
    ),
    "SCREENING_INSTALLATION_NAME": (
        'Name of this installation in the certificate that signs its documents (default "Screening installation").'
    ),
    "SCREENING_RETENTION_DAYS": (
        "Days after a case ends before `flask data purge` erases what identifies the person (default 90)."
    ),
    "SCREENING_PROXIES": (
        "How many reverse proxies stand in front (default 0); only then are their X-Forwarded-For and "
        "X-Forwarded-Proto headers believed. Set 1 behind the one proxy of the README."
    ),
    "SCREENING_REPLICA_URL": (
        "Where Litestream replicates the database, continuously: s3://bucket/path, sftp://user@host/path or "
        "file:///mnt/usb/screening (default: none, nothing is replicated). `make run` runs the server under it."
    ),
    "SCREENING_REPLICA_LAG_MINUTES": (
        "The administrators' pages warn when the replica is this many minutes behind the database (default 5)."
    ),
    "SCREENING_SMALL_NUMBER": 'Statistics show counts below this as "<N" (default 11: 1 to 10 show as <11).',
    "HOST": "make run: address to listen on (default 127.0.0.1; 0.0.0.0 for phones on the network).",
    "PORT": "make run: port to listen on (default 8000).",
    "WEB_CONCURRENCY": "make run: number of server worker processes (default twice the processor cores plus one).",
}
