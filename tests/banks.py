"""Questions written inline for tests, in the manner of pyxform's tests: a bank with one fault, or a small one.

They follow the sheets' rules (screening/instrument/sheets.py): the person's questions
offer "don't know" and "prefer not to say", which mark the question's indicators so.
"""

from screening.instrument.bank import NONE, OFFICER, Choice, Question, alternatives, indicator_codes


def yesno(qid, section, text, yes=None, no=None, **kw):
    """Return a yes/no question; the person's questions also get the two alternatives."""
    choices = (Choice("yes", "Yes", yes or {}), Choice("no", "No", no or {}))
    if kw.get("audience") != OFFICER:
        choices += alternatives([])
    return Question(qid, section, "yesno", text, choices, **kw)


def multi(qid, section, text, choices, **kw):
    """Return a multiple-choice question with "none of these" and the alternatives."""
    choices = tuple(choices)
    extra = (Choice(NONE, "None of these"),) + alternatives(indicator_codes(choices))
    return Question(qid, section, "multi", text, choices + extra, **kw)
