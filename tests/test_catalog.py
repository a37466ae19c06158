"""The message template is current: every marked string is in translations/messages.pot."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
# The same mapping `make messages` uses: Python, templates, and the question sheets' texts.
with (ROOT / "translations" / "babel.cfg").open() as _cfg:
    METHODS, OPTIONS = parse_mapping_cfg(_cfg)


def extracted_ids():
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map=METHODS, keywords=KEYWORDS, options_map=OPTIONS
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_the_message_template_holds_exactly_the_marked_strings():
    with (ROOT / "translations" / "messages.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    extracted = extracted_ids()
    assert not extracted - template, "stale messages.pot: run `make messages`"
    assert not template - extracted, "stale messages.pot: run `make messages`"
