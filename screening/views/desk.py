"""The desk: search cases, overdue referrals, statistics and their exports."""

import csv
import io
from datetime import date

from flask import Blueprint, Response, g, render_template, request

from screening.accounts.auth import recent_login_required, requires
from screening.cases.records import STATUSES as CASE_LABELS
from screening.db.connection import get_db
from screening.desk import charts
from screening.desk import search as desk
from screening.desk import statistics as stats
from screening.instrument.vocabulary import OUTCOMES_SHORT
from screening.protection.audit import Actor
from screening.protection.spreadsheet import neutralise
from screening.referral.followup import STATUSES as REFERRAL_STATUSES
from screening.views.requested import page_number

bp = Blueprint("desk", __name__)
FILTERS = (
    "reference",
    "date_from",
    "date_to",
    "status",
    "outcome",
    "urgent",
    "child",
    "post",
    "officer",
    "referral_status",
)


def _filters():
    """Return the desk's filters from the query string, dropping bad dates (they filter nothing)."""
    chosen = {key: request.args.get(key, "").strip() for key in FILTERS if request.args.get(key, "").strip()}
    for key in ("date_from", "date_to"):
        if key in chosen:
            try:
                date.fromisoformat(chosen[key])
            except ValueError:
                chosen.pop(key)
    return chosen


@bp.route("/desk")
@requires("desk")
def index():
    """Find cases: filters, sorting, pagination; overdue referrals first."""
    db = get_db()
    filters = _filters()
    page = page_number(request.args)
    sort = request.args.get("sort", "newest")
    rows, total = desk.search(db, g.user, filters, page, sort)
    pages = max(1, -(-total // desk.PAGE_SIZE))
    return render_template(
        "desk/index.html",
        rows=rows,
        total=total,
        page=min(page, pages),
        pages=pages,
        filters=filters,
        sort=sort,
        sorts=desk.SORTS,
        overdue=desk.overdue_referrals(db, g.user),
        posts=desk.posts(db, g.user),
        case_statuses=CASE_LABELS,
        referral_statuses=REFERRAL_STATUSES,
        outcomes=OUTCOMES_SHORT,
        page_args={k: v for k, v in request.args.items() if k != "page"},
    )


def _tables(db):
    limit = stats.threshold()
    tables = []
    for key, title in stats.TABLES:
        rows = [(stats.label(key, value), count) for value, count in stats.counts(db, g.user, key)]
        tables.append(
            {"key": key, "title": title, "rows": rows, "chart": charts.bars(str(title), rows, stats.shown, limit)}
        )
    return tables


@bp.route("/statistics")
@requires("statistics")
def statistics():
    """Count what is happening, with small numbers hidden."""
    db = get_db()
    by_status, median_hours = stats.referral_figures(db, g.user)
    return render_template(
        "desk/statistics.html",
        tables=_tables(db),
        shown=stats.shown,
        threshold=stats.threshold(),
        referral_rows=[(REFERRAL_STATUSES.get(s, s), n) for s, n in sorted(by_status.items())],
        median_hours=median_hours,
        columns=stats.EXPORT_COLUMNS,
    )


def _csv_response(rows, name):
    """Return a CSV download; every cell neutralised against spreadsheet formulas."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([neutralise(str(cell)) for cell in row] for row in rows)
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}-{date.today().isoformat()}.csv"'},
    )


@bp.route("/statistics/tables.csv")
@requires("statistics")
@recent_login_required
def tables_csv():
    """Download every table of the statistics page, small numbers hidden as on the page."""
    db = get_db()
    stats.record_export(db, Actor.web(), "tables", "csv")
    out = [["table", "value", "count"]]
    for table in _tables(db):
        out.extend([table["key"], label, stats.shown(count)] for label, count in table["rows"])
    by_status, median_hours = stats.referral_figures(db, g.user)
    out.extend(["referral_status", status, stats.shown(count)] for status, count in sorted(by_status.items()))
    if median_hours is not None:
        out.append(["referral_median_hours_to_acknowledgement", "", median_hours])
    return _csv_response(out, "statistics")


@bp.route("/statistics/cases.<any(csv, json):fmt>")
@requires("statistics")
@recent_login_required
def cases_export(fmt):
    """Download one de-identified row per screening (CSV or JSON): no names, references or exact dates."""
    db = get_db()
    rows = stats.deidentified_rows(db, g.user)
    stats.record_export(db, Actor.web(), "screenings", fmt)
    if fmt == "json":
        name = f"screenings-deidentified-{date.today().isoformat()}.json"
        return Response(
            stats.dumps(rows),
            mimetype="application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    columns = list(stats.EXPORT_COLUMNS)
    return _csv_response(
        [columns] + [[stats.as_csv_value(row[c]) for c in columns] for row in rows], "screenings-deidentified"
    )
