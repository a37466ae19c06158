"""Forms of the interview: the officer's set-up, consent and stop forms, and one form class built per question page.

Every field of a question page is named by its question id and every choice by
its stable value. WTForms' built-in messages are not in our catalogs, so every
validator here carries its own translatable message.
"""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, ValidationError

from screening.forms.fields import at_most, options, plain_text, strip, typed_text, unicode_burmese
from screening.i18n.languages import INTERVIEW_NAMES, interview_locales
from screening.i18n.lazy import lazy_gettext as _l
from screening.instrument.bank import ALTERNATIVES, EXCLUSIVE

STOP_REASONS = {
    "person_asked": _l("The person asked to stop"),
    "distress": _l("The person was too distressed to go on"),
    "unsafe": _l("It was not safe to go on"),
    "interrupted": _l("The interview was interrupted"),
    "other": _l("Another reason"),
}
INTERPRETER = {
    "none": _l("No interpreter"),
    "independent": _l("Yes, an independent interpreter"),
    "linked": _l("Yes, but the interpreter may be linked to the employer, the agent or the person's companions"),
}


class StartForm(FlaskForm):
    """What the officer confirms before the interview may start (screening model §6)."""

    post = StringField(
        _l("Post or location"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the post or location")), *typed_text("post")],
    )
    interview_lang = SelectField(_l("The person's language"), validate_choice=False)
    interpreter = RadioField(
        _l("Is an interpreter helping?"),
        choices=options(INTERPRETER.items()),
        validate_choice=False,
        validators=[InputRequired(message=_l("Say whether an interpreter is helping"))],
    )
    private = BooleanField(
        _l("No employer, agent, or 'friend' of the person can hear us"),
        validators=[InputRequired(message=_l("Move somewhere private before you start"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.interview_lang.choices = options((code, INTERVIEW_NAMES[code]) for code in interview_locales())

    def validate_interview_lang(self, field):
        """Accept only a language the app offers for the interview."""
        if field.data not in interview_locales():
            raise ValidationError(_l("Choose a language from the list"))

    def validate_interpreter(self, field):
        """Refuse an interpreter linked to the employer or agent: they may report back."""
        if field.data == "linked":
            raise ValidationError(
                _l(
                    "Do not go on with this interpreter. "
                    "Find an independent interpreter or a telephone interpreting service."
                )
            )
        if field.data not in INTERPRETER:
            raise ValidationError(_l("Say whether an interpreter is helping"))


class ConsentForm(FlaskForm):
    """The person's answer to the consent script."""

    consent = RadioField(
        _l("Does the person agree to answer the questions?"),
        choices=options([("yes", _l("Yes, they agree")), ("no", _l("No, they do not agree"))]),
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Record whether the person agrees")),
            AnyOf(("yes", "no"), message=_l("Record whether the person agrees")),
        ],
    )


class StopForm(FlaskForm):
    """Why the officer stopped the interview."""

    reason = RadioField(
        _l("Why are you stopping?"),
        choices=options(STOP_REASONS.items()),
        validate_choice=False,
        validators=[
            InputRequired(message=_l("Choose why you are stopping")),
            AnyOf(list(STOP_REASONS), message=_l("Choose why you are stopping")),
        ],
    )


class NumberOrAlternative(Field):
    """A whole number, or one of the "don't know" / "prefer not to say" alternatives.

    The number box and the alternative radios share the question id as their name,
    so the form works with JavaScript off and reads ``['24']``, ``['', 'unknown']``...
    Native digits (Thai, Lao, Khmer, Burmese, Bengali, Devanagari, Urdu's) are read as numbers.
    """

    def __init__(self, label, minimum, maximum, alternatives=(), **kwargs):
        super().__init__(label, **kwargs)
        self.minimum, self.maximum, self.alternatives = minimum, maximum, tuple(alternatives)
        self.typed = ""

    def process_formdata(self, valuelist):
        """Keep what was typed, and read the number or the chosen alternative."""
        chosen = [v for v in valuelist if v in self.alternatives]
        typed = [v.strip() for v in valuelist if v not in self.alternatives and v.strip()]
        self.typed = typed[0] if typed else ""
        if chosen and typed:
            raise ValueError(_l("Enter an age, or choose one of the other answers, not both"))
        if chosen:
            self.data = chosen[0]
            return
        if not typed:
            self.data = None
            return
        try:
            number = int(self.typed)
        except ValueError as exc:
            raise ValueError(_l("Enter the age as a whole number, such as 24")) from exc
        if not self.minimum <= number <= self.maximum:
            raise ValueError(_l("Enter an age from %(min)d to %(max)d", min=self.minimum, max=self.maximum))
        self.data = number

    def process_data(self, value):
        """Show a stored number in the box; a stored alternative is shown as chosen."""
        self.data = value
        self.typed = str(value) if isinstance(value, int) else ""

    def pre_validate(self, form):
        """Require an answer unless the number itself was unreadable (already reported)."""
        if self.data is None and not self.process_errors:
            raise ValidationError(_l("Enter an age, or choose 'Don't know' or 'Prefer not to say'"))


def exclusive_choices(allowed):
    """Return a validator for a multiple choice: known values, at least one, exclusives alone."""

    def validate(form, field):
        chosen = field.data or []
        if any(v not in allowed for v in chosen):
            raise ValidationError(_l("Choose from the answers shown"))
        if not chosen:
            raise ValidationError(_l("Choose at least one answer, or 'None of these'"))
        if len(chosen) > 1 and any(v in EXCLUSIVE for v in chosen):
            raise ValidationError(
                _l("'None of these', 'Don't know' and 'Prefer not to say' cannot be chosen with other answers")
            )

    return validate


def _field_for(question):
    label = question.text
    values = question.values
    if question.kind in ("yesno", "single"):
        return RadioField(
            label,
            choices=options((c.value, c.text) for c in question.choices),
            validate_choice=False,
            validators=[
                InputRequired(message=_l("Choose an answer")),
                AnyOf(values, message=_l("Choose one of the answers shown")),
            ],
        )
    if question.kind == "multi":
        return SelectMultipleField(
            label,
            choices=options((c.value, c.text) for c in question.choices),
            validate_choice=False,
            validators=[exclusive_choices(values)],
        )
    if question.kind == "number":
        return NumberOrAlternative(
            label,
            minimum=question.minimum,
            maximum=question.maximum,
            alternatives=[v for v in values if v in ALTERNATIVES],
        )
    return TextAreaField(
        label,
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter a short reason")),
            plain_text,
            unicode_burmese,
            at_most(question.maximum),
        ],
    )


def page_form(questions, stored, **options):
    """Build and return the form for one page, prefilled with the stored answers.

    On a POST the submitted values take the place of the stored ones (``formdata=None`` to show
    the stored ones only).
    """

    class PageForm(FlaskForm):
        pass

    for question in questions:
        setattr(PageForm, question.id, _field_for(question))
    return PageForm(data={q.id: stored[q.id] for q in questions if q.id in stored}, **options)


def submitted(questions, formdata):
    """Return what was sent for each question of a page, read leniently, to know which questions it makes visible.

    Nothing here is validated or saved: the page's form does that for the questions found visible.
    """
    values = {}
    for q in questions:
        sent = [v for v in formdata.getlist(q.id) if v.strip()]
        if not sent:
            continue
        if q.kind == "multi":
            values[q.id] = sent
        elif q.kind == "number" and sent[0].strip().isdigit():
            values[q.id] = int(sent[0].strip())
        else:
            values[q.id] = sent[0]
    return values


def answers_from(form, questions):
    """Return the validated answers of a page form as question id -> stored value."""
    return {q.id: form[q.id].data for q in questions}
