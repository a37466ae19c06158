"""Burmese typed in the Zawgyi encoding: detect it and convert it to Unicode.

Many phones in Myanmar were set up for Zawgyi, a font hack that reuses Unicode
code points for other glyphs. Google's detector (myanmartools) gives the
probability that a text is Zawgyi; python-myanmar converts it.
"""

from functools import lru_cache

from myanmar import converter
from myanmartools import ZawgyiDetector

# Above this the detector is all but certain (it answers ~0.99996 for Zawgyi
# and ~0.00002 for Unicode Burmese); text with no Burmese in it scores 0.
THRESHOLD = 0.95


@lru_cache(maxsize=1)
def _detector():
    return ZawgyiDetector()


def is_zawgyi(text):
    """Return whether a text is (almost certainly) Burmese in the Zawgyi encoding."""
    return bool(text) and _detector().get_zawgyi_probability(text) > THRESHOLD


def to_unicode(text):
    """Return the Unicode form of a Zawgyi text, or None when the text is not Zawgyi."""
    if not is_zawgyi(text):
        return None
    return converter.convert(text, "zawgyi", "unicode")
