"""Production server settings for `make run`; HOST and PORT choose where it listens."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Two cores: a few sync workers plus threads keep short SQLite requests flowing.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = 4
timeout = 30
# No access log: request lines carry case references, and a log is one more copy to leak.
accesslog = None
errorlog = "-"
loglevel = "warning"


def when_ready(_server):
    """Print the one-time setup link when the server starts with no accounts."""
    from screening import create_app
    from screening.auth import print_setup_link_if_needed

    print_setup_link_if_needed(create_app())
