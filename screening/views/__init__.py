"""The web pages: blueprints, and error pages that never show a bare 500."""

from flask import render_template, request
from flask_wtf.csrf import CSRFError

from screening.i18n.languages import remember_choice
from screening.instrument.vocabulary import OUTCOMES_SHORT, PERSON_PHRASES, STATUSES
from screening.views import admin, auth, cases, casework, desk, directory, interview
from screening.views import referrals as referral_views


def _error(status, template="error.html", **context):
    return render_template(template, status=status, **context), status


def init_app(app):
    """Register the blueprints and the error pages."""
    for module in (admin, auth, cases, casework, desk, directory, interview, referral_views):
        app.register_blueprint(module.bp)
    app.jinja_env.globals.update(statuses=STATUSES, outcomes_short=OUTCOMES_SHORT, phrases=PERSON_PHRASES)
    # After the account is loaded (auth.init_app runs first), so the choice can be saved to it.
    app.before_request(remember_choice)

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return _error(400, "auth/expired.html", next=request.path)

    for status in (400, 404, 405, 413):
        app.register_error_handler(status, lambda exc, status=status: _error(status))

    @app.errorhandler(500)
    def server_error(_exc):
        return _error(500)
