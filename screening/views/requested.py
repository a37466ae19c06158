"""What a request names, read safely: the case (through the access rule), ids in paths, page numbers.

A case that does not exist and a case the account may not see are the same
404; a case locked by wrong codes at a hand-over is 423 until its officer logs
in. Ids and page numbers are bounded before they reach SQLite, whose integers
stop at 2**63 - 1: a longer number is "not found" or the last page, never an error.
"""

from flask import abort, g
from werkzeug.routing import IntegerConverter

from screening.access import can_see
from screening.cases import handover, records
from screening.db.connection import get_db
from screening.db.references import normalise_reference

MAX_ID = 2**63 - 1
MAX_PAGE = 1_000_000


class IdConverter(IntegerConverter):
    """A row id in a path: a whole number from 1 to SQLite's largest; anything else does not match (404)."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def case(reference):
    """Return the case named in the path if this account may see it; otherwise answer 404."""
    canonical = normalise_reference(reference)
    screening = records.find(get_db(), canonical) if canonical == reference else None
    if not can_see(g.user, screening):
        abort(404)
    if handover.is_locked(screening):
        abort(423)  # wrong codes at a hand-over: locked until its officer logs in again
    return screening


def page_number(args, last=MAX_PAGE):
    """Return the page asked for in ``args`` ("page"), from 1 to ``last``; anything unreadable is page 1."""
    try:
        page = int(args.get("page", "1"))
    except ValueError:
        return 1
    return max(1, min(page, last, MAX_PAGE))


def init_app(app):
    """Register the id converter, so that routes say ``<id:...>``."""
    app.url_map.converters["id"] = IdConverter
