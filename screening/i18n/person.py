"""What the person reads or hears, and the languages that translate only that.

The interface speaks eleven languages; the interview speaks more. People
released from the region's scam compounds come from South Asia, East Africa,
Korea and Taiwan as well: an officer who speaks none of their languages still
works in their own, and everything the person hears or reads is in the
person's. Those *interview languages* have catalogs that hold only the person's
texts, listed here from their sources, so that the list cannot drift from what
the pages and the person's sheet show:

- from the question sheets: the consent script and question, and the text,
  hint and choices of every question put to the person;
- the small phrases around them (``PERSON_PHRASES``: "or", "choose one"...);
- everything on the "information for you" sheet: its template, the items it
  may list, and its page numbers.

``translations/person.pot`` is written from this list by ``translate extract``;
``translate check`` fails on any of these texts left untranslated in any
interview language.
"""

from pathlib import Path

from babel.messages.extract import extract_from_file
from flask_babel.speaklater import LazyString

from screening.config import TEMPLATES_DIR

# Languages for the interview only, each named in itself (where each is spoken: languages.SPOKEN_IN).
INTERVIEW_ONLY = {
    "hi": "हिन्दी",
    "bn": "বাংলা",
    "ne": "नेपाली",
    "si": "සිංහල",
    "ur": "اردو",
    "am": "አማርኛ",
    "sw": "Kiswahili",
    "zh_Hant": "中文（繁體）",
    "ko": "한국어",
}
# The templates the person reads whole, in their language: their sheet, and the phone handed over to them.
PERSON_TEMPLATES = ("pdf/info.html", "handover/turn.html", "handover/back.html", "handover/refused.html")
PAGE_LABEL = "Page %(page)s of %(pages)s"


def msgid(text):
    """Return the message id behind a lazily translated text (or the text itself)."""
    return text._args[0] if isinstance(text, LazyString) else str(text)


def bank_messages():
    """Return the ids of the question sheets' texts that the person hears: consent, and the person's questions."""
    return set(spoken_order())


def spoken_order():
    """Return the message ids the person hears in an interview, in the order they hear them (first time only)."""
    from screening.instrument import questionnaire
    from screening.instrument.bank import PERSON

    texts = [*questionnaire.CONSENT_SCRIPT, questionnaire.CONSENT_QUESTION]
    for question in questionnaire.QUESTIONS:
        if question.audience == PERSON:
            texts += [question.text, question.hint, *(c.text for c in question.choices)]
    return list(dict.fromkeys(msgid(t) for t in texts if t is not None))


def template_messages(name, folder=TEMPLATES_DIR):
    """Return the ids of every message a Jinja template translates."""
    found = set()
    for _line, message, _comments, _context in extract_from_file("jinja2", Path(folder) / name):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def person_messages():
    """Return every message id the person reads or hears, sorted."""
    from screening.instrument.vocabulary import ITEMS_FOR_THE_PERSON, PERSON_PHRASES

    found = bank_messages() | {PAGE_LABEL}
    found |= {msgid(t) for t in [*PERSON_PHRASES.values(), *ITEMS_FOR_THE_PERSON.values()]}
    for name in PERSON_TEMPLATES:
        found |= template_messages(name)
    return sorted(found)
