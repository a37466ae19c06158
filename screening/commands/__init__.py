"""Commands for the shell (``flask --app wsgi ...``): thin, like the views, over the same services.

Whoever runs them is the machine's owner; the audit trail names them as the shell user.
"""


def init_app(app):
    """Register every command group."""
    from screening.commands import exchange  # noqa: F401 - adds its commands to the referral group
    from screening.commands.audio import audio_cli
    from screening.commands.audit import audit_cli
    from screening.commands.collect import cases_cli
    from screening.commands.data import data_cli
    from screening.commands.demo import demo_cli
    from screening.commands.questionnaire import questionnaire_cli
    from screening.commands.referral import referral_cli
    from screening.commands.users import users_cli
    from screening.i18n.catalogs import translate_cli

    for group in (
        audio_cli,
        audit_cli,
        cases_cli,
        data_cli,
        demo_cli,
        questionnaire_cli,
        referral_cli,
        translate_cli,
        users_cli,
    ):
        app.cli.add_command(group)
