"""Lazily translated text (``_l``), which can never carry text that someone typed.

Flask-Babel's lazy strings count as safe HTML in Jinja (they define ``__html__``),
so whatever is formatted into one reaches the page unescaped. Our texts are ours;
a name, a code or a sentence typed by a user is not. ``lazy_gettext`` therefore
takes only numbers and other lazy strings as placeholder values, and refuses plain
text at once: format typed input with ``gettext`` (``_``) inside the request,
whose result is a plain string that Jinja escapes. Every module imports ``_l``
from here, never from Flask-Babel (a test checks).
"""

from flask_babel import lazy_gettext as _babel_lazy_gettext
from flask_babel.speaklater import LazyString

SAFE_VALUES = (int, float, LazyString)


def lazy_gettext(string, **variables):
    """Return ``string`` translated when it is shown; refuse a placeholder value that is plain text."""
    for name, value in variables.items():
        if not isinstance(value, SAFE_VALUES):
            raise TypeError(
                f"lazy text {string!r} takes numbers or lazy text only, not {type(value).__name__} for {name!r}: "
                "format typed input with gettext inside the request"
            )
    return _babel_lazy_gettext(string, **variables)
