"""Production server settings for `make run`; HOST and PORT choose where it listens."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Processes share out the processor (Python runs one thread at a time per process):
# gunicorn's advice of twice the cores plus one, each serving one request at a time and
# taking the next from the shared queue. Measured in bench/load.py on two cores with 50
# officers: p95 about 95 ms, where workers with threads kept each officer's connection
# (keep-alive) and the busiest worker's officers waited 150 to 260 ms. A sync worker reads
# a request whole, so a phone sending slowly holds it: the reverse proxy that puts HTTPS
# in front (README, "Deploying for a border post") buffers requests and spares it that.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
timeout = 30
# No access log: request lines carry case references, and a log is one more copy to leak.
accesslog = None
errorlog = "-"
loglevel = "warning"


def when_ready(_server):
    """Print the one-time setup link when the server starts with no accounts."""
    from screening import create_app
    from screening.accounts.setup import print_link_if_needed

    print_link_if_needed(create_app())
