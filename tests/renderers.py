"""Read printed documents as their receivers do: drawn by three PDF renderers, QR codes scanned.

poppler (``pdftoppm``), MuPDF (``mutool draw``) and Ghostscript (``gs``) draw
each page; pages are compared as images, block by block, so that anti-aliasing
and sub-pixel spacing do not count but a word drawn in one and missing (or
boxed) in another does. ``zbarimg`` and zxing-cpp read the QR code back.
"""

import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path

import zxingcpp
from PIL import Image, ImageChops

RENDERERS = ("poppler", "mupdf", "ghostscript")
DPI = 100
# Pages are compared in blocks of 8 pixels (2 mm at 100 dpi). A block differs when its
# mean grey differs by more than BLOCK_THRESHOLD; a page differs when more than
# PAGE_TOLERANCE of its inked blocks do. Measured on referrals in Chinese and Thai:
# renderers that agree differ in at most 0.2% of blocks; a font drawn wrong (a CID font
# whose glyph numbers are not its CIDs) in 4% to 19%.
BLOCK = 8
BLOCK_THRESHOLD = 40
PAGE_TOLERANCE = 0.01
INKED = 230


def _command(renderer, pdf, out, dpi):
    if renderer == "poppler":
        return ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(out / "page")]
    if renderer == "mupdf":
        return ["mutool", "draw", "-q", "-r", str(dpi), "-c", "gray", "-o", str(out / "page-%03d.png"), str(pdf)]
    return [
        "gs", "-q", "-dSAFER", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pnggray", "-dTextAlphaBits=4",
        "-dGraphicsAlphaBits=4", f"-r{dpi}", f"-sOutputFile={out / 'page-%03d.png'}", str(pdf),
    ]  # fmt: skip


def pages(data, renderer, dpi=DPI):
    """Return the pages of a PDF drawn by one renderer, as greyscale images."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        pdf = folder / "document.pdf"
        pdf.write_bytes(data)
        out = folder / "out"
        out.mkdir()
        command = _command(renderer, pdf, out, dpi)
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)  # noqa: S603 - fixed commands
        assert done.returncode == 0, (renderer, done.stderr[-2000:])
        images = []
        for path in sorted(out.glob("page*.png")):
            with Image.open(path) as image:
                images.append(image.convert("L"))
        return images


def page_difference(a, b):
    """Return the share of a page's inked blocks whose mean grey differs between two drawings of it."""
    b = b.resize(a.size) if b.size != a.size else b
    small = (a.size[0] // BLOCK, a.size[1] // BLOCK)
    first, second = a.resize(small, Image.Resampling.BOX), b.resize(small, Image.Resampling.BOX)
    differing = sum(ImageChops.difference(first, second).histogram()[BLOCK_THRESHOLD + 1 :])
    inked = sum(first.histogram()[:INKED]) or 1
    return differing / inked


def renderers_disagree(data, dpi=DPI, tolerance=None):
    """Return where the renderers disagree: [(page, renderer, share of blocks)]; [] when they agree."""
    tolerance = PAGE_TOLERANCE if tolerance is None else tolerance
    with ThreadPoolExecutor(max_workers=len(RENDERERS)) as pool:
        drawn = dict(zip(RENDERERS, pool.map(lambda renderer: pages(data, renderer, dpi), RENDERERS), strict=True))
    reference = drawn["poppler"]
    problems = []
    for renderer in RENDERERS[1:]:
        if len(drawn[renderer]) != len(reference):
            problems.append((0, renderer, f"{len(drawn[renderer])} pages, poppler {len(reference)}"))
            continue
        for number, (a, b) in enumerate(zip(reference, drawn[renderer], strict=True), 1):
            difference = page_difference(a, b)
            if difference > tolerance:
                problems.append((number, renderer, round(difference, 3)))
    return problems


def qr_codes_zbar(image):
    """Return what zbarimg reads on an image: [(symbology, data)]."""
    with tempfile.NamedTemporaryFile(suffix=".png") as handle:
        image.save(handle.name)
        command = ["zbarimg", "-q", handle.name]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)  # noqa: S603, S607 - a fixed command
    if done.returncode == 4:  # nothing found
        return []
    assert done.returncode == 0, done.stderr
    return [tuple(line.split(":", 1)) for line in done.stdout.splitlines() if line]


def qr_codes_zxing(image):
    """Return what zxing-cpp reads on an image: [(format, text)]."""
    return [(result.format.name, result.text) for result in zxingcpp.read_barcodes(image)]


def document_text(html):
    """Return what a document's HTML says, without its markup, styles or title."""
    body = re.sub(r"<style.*?</style>|<title>.*?</title>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def document_words(text, lang):
    """Return the words of a document's text: split at spaces, and by ICU where a script writes none."""
    from icu4py.breakers import WordBreaker
    from icu4py.locale import Locale

    words = []
    for chunk in text.replace("\u200b", "").split():
        chunk = chunk.strip(".,;:()[]（）。、，：；·–-\"'“”‘’!?។៕။၊")
        if not chunk:
            continue
        if re.search(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]", chunk):
            locale = Locale(lang.split("_")[0])
            words.extend(w for a, b in WordBreaker(chunk, locale).segments() if (w := chunk[a:b].strip()))
        else:
            words.append(chunk)
    return words


def extracted_text(data):
    """Return the text poppler's pdftotext extracts from a PDF."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "document.pdf"
        pdf.write_bytes(data)
        command = ["pdftotext", "-enc", "UTF-8", str(pdf), "-"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)  # noqa: S603, S607 - fixed command
    assert done.returncode == 0, done.stderr
    return done.stdout


def extraction_share(html, data, lang):
    """Return the share of a document's words that pdftotext gives back exactly (spaces aside)."""
    extracted = re.sub(r"\s+", "", extracted_text(data)).replace("\u200b", "")
    words = document_words(document_text(html), lang)
    found = sum(1 for word in words if word in extracted)
    return found / len(words) if words else 1.0
