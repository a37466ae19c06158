"""The question bank: what the officer asks, in what order, and what each answer means.

Questions are short, closed and written to be read aloud to someone who may be
frightened or exhausted (WHO ethical and safety recommendations; screening model
§6). Urgent safety comes first. Once the person is or may be a child, only the
minimum is asked, and the officer records what they saw. Nothing asks for detail
of crimes the person was forced into (non-punishment, ACTIP Art. 14(7)). Every
answer the person gives can be "don't know" or "prefer not to say". Each choice
names the evidence it adds; the scoring reads nothing else.

The bank's source is the sheets in ``xlsform/`` (read by sheets.py, described in
docs/question-sheets.md); this module reads and checks them once, at import.
"""

from screening.instrument.bank import bank_version, fact_questions, validate_bank
from screening.instrument.sheets import load

_SHEETS = load()
SECTIONS = _SHEETS.sections
# Read aloud before the first question: what this is for, who will see it, that help does not
# depend on answering, that any question may be skipped. It promises nothing the officer cannot keep.
CONSENT_SCRIPT = _SHEETS.consent_script
CONSENT_QUESTION = _SHEETS.consent_question
SETTINGS = _SHEETS.settings
QUESTIONS = _SHEETS.questions

validate_bank(QUESTIONS, SECTIONS)

BY_ID = {q.id: q for q in QUESTIONS}
FACTS = fact_questions(QUESTIONS)
VERSION = bank_version(QUESTIONS)
