"""The typefaces of printed documents: one family per script, each declared only for a document that needs it.

Fonts come from Debian's Noto packages, one family name per script (WeasyPrint
garbles text when several files share one family), and are embedded as subsets.
The Chinese and Korean faces are cut at set-up (screening/i18n/cjk.py); a
character outside a cut face comes from the full face.
"""

import functools
import re
from pathlib import Path

from fontTools.ttLib import TTFont

from screening.i18n.cjk import cjk_path

NOTO = Path("/usr/share/fonts/truetype/noto")
# (family, regular, bold): one family per script, Latin first so that digits and
# punctuation come from one font whatever the language. A path is a file of ours
# or Debian's; a name is a face of Debian's CJK collection, found by fontconfig.
PDF_FONTS = (
    ("PDF Latin", NOTO / "NotoSans-Regular.ttf", NOTO / "NotoSans-Bold.ttf"),
    ("PDF Thai", NOTO / "NotoSansThai-Regular.ttf", NOTO / "NotoSansThai-Bold.ttf"),
    ("PDF Lao", NOTO / "NotoSansLao-Regular.ttf", NOTO / "NotoSansLao-Bold.ttf"),
    ("PDF Khmer", NOTO / "NotoSansKhmer-Regular.ttf", NOTO / "NotoSansKhmer-Bold.ttf"),
    ("PDF Myanmar", NOTO / "NotoSansMyanmar-Regular.ttf", NOTO / "NotoSansMyanmar-Bold.ttf"),
    ("PDF Devanagari", NOTO / "NotoSansDevanagari-Regular.ttf", NOTO / "NotoSansDevanagari-Bold.ttf"),
    ("PDF Bengali", NOTO / "NotoSansBengali-Regular.ttf", NOTO / "NotoSansBengali-Bold.ttf"),
    ("PDF Sinhala", NOTO / "NotoSansSinhala-Regular.ttf", NOTO / "NotoSansSinhala-Bold.ttf"),
    ("PDF Ethiopic", NOTO / "NotoSansEthiopic-Regular.ttf", NOTO / "NotoSansEthiopic-Bold.ttf"),
    ("PDF Nastaliq", NOTO / "NotoNastaliqUrdu-Regular.ttf", NOTO / "NotoNastaliqUrdu-Bold.ttf"),
    ("PDF CJK", cjk_path(400), cjk_path(700)),
    ("PDF Korean", cjk_path(400, face="kr"), cjk_path(700, face="kr")),
    ("PDF CJK TC", cjk_path(400, face="tc"), cjk_path(700, face="tc")),
    ("PDF CJK Extra", cjk_path(400, full=True), cjk_path(400, full=True)),
    ("PDF CJK TC Extra", "NotoSansCJKtc-Regular", "NotoSansCJKtc-Bold"),
)
# Where one character has a traditional and a simplified form, a traditional
# Chinese document draws it from the traditional faces.
FIRST_FOR = {"zh-Hant": ("PDF CJK TC", "PDF CJK TC Extra")}
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
HAN = re.compile("[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
TRADITIONAL = 'lang="zh-Hant"'


@functools.cache
def _cut(face):
    """Return the characters a cut CJK face holds."""
    return frozenset(TTFont(str(cjk_path(400, face=face)), lazy=True).getBestCmap())


# Each family beyond the common ones costs every render its loading, and a face found by fontconfig
# (local()) a lookup: 0.1 to 0.2 s. They are declared only for a document that needs them. Hangul
# outside the Korean cut, and a traditional character in a document in another language, are drawn
# by the full simplified face (Noto's Hangul and Han are one design across its faces).
NEEDED_IF = {
    "PDF Korean": lambda html: HANGUL.search(html),
    "PDF CJK TC": lambda html: TRADITIONAL in html,
    "PDF CJK TC Extra": lambda html: TRADITIONAL in html and any(ord(c) not in _cut("tc") for c in HAN.findall(html)),
}


def font_css(html=""):
    """Return the @font-face rules and the family list for printed documents (for ``html``, when given)."""
    rules = []
    fonts = [font for font in PDF_FONTS if font[0] not in NEEDED_IF or NEEDED_IF[font[0]](html)]
    for family, regular, bold in fonts:
        for weight, source in ((400, regular), (700, bold)):
            src = f'url("{source.as_uri()}")' if isinstance(source, Path) else f'local("{source}")'
            rules.append(f'@font-face {{ font-family: "{family}"; src: {src}; font-weight: {weight}; }}')
    families = ", ".join(f'"{family}"' for family, _r, _b in fonts)
    # Margin boxes take their font from the page, not from the document.
    rules.append(f"html {{ font-family: {families}; }}")
    rules.append(f"@page {{ font-family: {families}; }}")
    for lang, firsts in FIRST_FOR.items():
        declared = ", ".join(f'"{family}"' for family in firsts if f'"{family}"' in families)
        if declared:
            rules.append(
                f'html:lang({lang}), html:lang({lang}) * {{ font-family: "PDF Latin", {declared}, {families}; }}'
            )
    return "\n".join(rules)
