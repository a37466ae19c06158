"""The web pages: blueprints, the language choice, and error pages that never show a bare 500."""

from flask import g, render_template, request, session
from flask_wtf.csrf import CSRFError

from screening.access import may
from screening.accounts import store
from screening.cases.records import STATUSES
from screening.db.connection import get_db
from screening.i18n.languages import supported
from screening.instrument.bank import EXCLUSIVE
from screening.instrument.vocabulary import OUTCOMES_SHORT, PERSON_PHRASES
from screening.protection.audit import Actor
from screening.protection.text import visible
from screening.views import (
    admin,
    auth,
    cases,
    casework,
    collected,
    compression,
    desk,
    directory,
    handover,
    interview,
    requested,
    worker,
)
from screening.views import audio as audio_views
from screening.views import received as received_views
from screening.views import referrals as referral_views


def _error(status, template="error.html", **context):
    return render_template(template, status=status, **context), status


def remember_choice():
    """Keep an explicit ``?lang=`` choice in the session and as the account's preference."""
    asked = request.args.get("lang")
    if asked not in supported():
        return
    session["lang"] = asked
    user = g.get("user")
    if user and user.get("locale") != asked:
        store.set_locale(get_db(), Actor.web(), asked)


def init_app(app):
    """Register the id converter, the blueprints, the template helpers and the error pages."""
    requested.init_app(app)
    compression.init_app(app)
    for module in (
        admin,
        auth,
        cases,
        casework,
        collected,
        desk,
        directory,
        handover,
        interview,
        audio_views,
        referral_views,
        received_views,
        worker,
    ):
        app.register_blueprint(module.bp)
    app.jinja_env.globals.update(
        may=may,
        home_url=auth.home_url,
        statuses=STATUSES,
        outcomes_short=OUTCOMES_SHORT,
        phrases=PERSON_PHRASES,
        exclusive=EXCLUSIVE,
    )
    app.add_template_filter(visible)
    # After the account is loaded (auth.init_app runs first): a handed-over session goes nowhere else,
    # and an explicit language choice can be saved to the account.
    app.before_request(handover.guard)
    app.before_request(remember_choice)

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return _error(400, "auth/expired.html", next=request.path)

    for status in (400, 404, 405, 413, 423):
        app.register_error_handler(status, lambda exc, status=status: _error(status))

    @app.errorhandler(500)
    def server_error(_exc):
        return _error(500)
