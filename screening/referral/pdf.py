"""Referral documents: the referral for the receiving organisation and the person's own sheet.

WeasyPrint turns an HTML template into a PDF/A-3 file with the referral as JSON
attached, so the receiving side can import it without retyping. Each document
is rendered in its own language, independent of the interface, in the
typefaces its scripts need (typefaces.py). Khmer, Lao and Burmese get
line-break opportunities from ICU (pdf_text.py).
"""

import functools
import json
import re

import segno
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration

from screening.config import TEMPLATES_DIR
from screening.i18n.dates import numbering_system
from screening.i18n.languages import html_lang, language_in, text_direction
from screening.instrument import questionnaire
from screening.instrument.explain import answer_text, explain
from screening.instrument.vocabulary import ITEMS_FOR_THE_PERSON, SERVICES
from screening.referral.pdf_text import claim_conformance, glyphs_without_text, install_actual_text, segment_html
from screening.referral.referrals import BASES, DEADLINE_HOURS, ITEMS, PRIORITIES, deadline
from screening.referral.typefaces import font_css

TEMPLATES = TEMPLATES_DIR / "pdf"
PAPER = {"a4": "A4", "letter": "letter"}
# Page numbers in the language's own digits where it writes them so (WeasyPrint's counter styles).
COUNTER_STYLES = {"beng": "bengali", "deva": "devanagari", "mymr": "myanmar"}
QR_SCALE = 3
install_actual_text()


def counter_text(message, lang="en"):
    """Turn "Page %(page)s of %(pages)s", translated, into CSS content with counters in the language's digits."""
    pieces = re.split(r"%\((page|pages)\)s", message)
    style = COUNTER_STYLES.get(numbering_system(lang), "decimal")
    out = []
    for i, piece in enumerate(pieces):
        if i % 2:
            out.append(f"counter({piece}, {style})")
        elif piece:
            out.append(json.dumps(piece, ensure_ascii=False))
    return " ".join(out)


def qr_code(reference):
    """Return the QR code printed on a document: the case reference, and nothing else.

    The reference is random and says nothing about the person; it is printed in
    letters beside the code, and the receiver types or scans it to find the case
    in their own copy of the app or to quote it on the phone. It is not a link:
    the post's server is usually not reachable from the receiving organisation,
    and a link would print the server's address on every copy. A full QR code
    (version 1 or more, never a Micro QR code, which most phone cameras and
    zbar cannot read) with error correction level M.
    """
    return segno.make(reference, error="m", micro=False)


def qr_data_uri(reference):
    """Return the document's QR code as an SVG data URI."""
    return qr_code(reference).svg_data_uri(scale=QR_SCALE)


def payload(screening, referral, person, answers, officer, by_person=()):
    """Return the machine-readable referral attached to the PDF: codes and values, no rendered text.

    ``by_person`` names the questions the person answered alone, on the handed-over phone.
    """
    shared = json.loads(referral["shared_items"])
    doc = {
        "format": "trafficking-screening-referral/1",
        "reference": screening["reference"],
        "created_at": referral["created_at"],
        "priority": referral["priority"],
        "acknowledge_by": deadline(referral),
        "receiving_organisation": referral["organisation_name"],
        "referring_officer": {
            "name": officer.get("full_name"),
            "agency": officer.get("agency"),
            "post": screening["post"],
        },
        "consent": {"referral": referral["consent"], "basis": referral["basis"], "shared_items": shared},
        "services_requested": json.loads(referral["services"]),
        "person": {k: person.get(k) or None for k in ("name", "contact", "date_of_birth") if k in shared},
    }
    if "nationality" in shared:
        doc["person"]["nationality"] = answers.get(questionnaire.FACTS["nationality"].id)
    if "answers" in shared:
        doc["bank_version"] = screening["bank_version"]
        doc["answers"] = answers
        doc["answered_by_person"] = sorted(by_person)
        doc["assessment"] = json.loads(screening["assessment"])
    return doc


def _context(screening, referral, person, answers, officer, lang, by_person=()):
    """Return what the referral template shows, rendered in the document's language."""
    shared = json.loads(referral["shared_items"])
    assessment = json.loads(screening["assessment"])
    result = explain(assessment, json.loads(screening["evidence"]), answers)
    nationality = questionnaire.FACTS["nationality"]
    return {
        "doc_lang": html_lang(lang),
        "screening": screening,
        "referral": referral,
        "officer": officer,
        "person": person,
        "shared": shared,
        "items": ITEMS,
        "assessment": assessment,
        "result": result,
        "priority": PRIORITIES[referral["priority"]],
        "deadline": deadline(referral),
        "deadline_hours": DEADLINE_HOURS[referral["priority"]],
        "basis": BASES[referral["basis"]],
        "services": [SERVICES[s] for s in json.loads(referral["services"]) if s in SERVICES],
        "nationality": answer_text(nationality, answers[nationality.id])[0] if answers.get(nationality.id) else None,
        "qr": qr_data_uri(screening["reference"]),
        "interview_language": language_in(screening["interview_lang"], lang),
        "by_person": [q.text for q in questionnaire.QUESTIONS if q.id in by_person],
    }


def _html(template, make_context, lang):
    """Render a document template; its context is made inside the document's language too.

    Everything turned into text while the context is made (an answer's words, a
    language's name, a date) must already be in the document's language.
    """
    with force_locale(lang):
        page_label = counter_text(_("Page %(page)s of %(pages)s"), lang)
        context = {"page_label": page_label, "doc_dir": text_direction(lang), **make_context()}
        return render_template(f"pdf/{template}", **context)


def _stylesheets(paper, font_config, html=""):
    """Return the style sheets; @font-face rules load only through a FontConfiguration."""
    return [
        CSS(string=font_css(html), font_config=font_config),
        CSS(filename=str(TEMPLATES / "print.css")),
        CSS(string=f"@page {{ size: {PAPER[paper]}; }}"),
    ]


def render(html, paper="a4", attachment=None):
    """Return PDF/A-3 bytes for one document's HTML: level U when every glyph maps to text, else level B."""
    attachments = []
    if attachment is not None:
        attachments.append(
            Attachment(
                string=json.dumps(attachment, ensure_ascii=False, indent=2),
                name="referral.json",
                description="Referral (machine-readable)",
                relationship="Data",
            )
        )
    document = HTML(string=segment_html(html), base_url=str(TEMPLATES))
    fonts = FontConfiguration()
    return document.write_pdf(
        stylesheets=_stylesheets(paper, fonts, html),
        font_config=fonts,
        pdf_variant="pdf/a-3u",
        attachments=attachments,
        finisher=_finish,
    )


def _finish(_document, pdf):
    """Correct what WeasyPrint 70 writes: /AF lists each attachment twice; level U is claimed unchecked."""
    listed = pdf.catalog.get("AF")
    if listed:
        unique = list(dict.fromkeys(listed))
        listed.clear()
        listed.extend(unique)
    if glyphs_without_text(pdf):
        claim_conformance(pdf, b"B")


def layout(html, paper="a4"):
    """Return WeasyPrint's laid-out document, for tests that inspect boxes."""
    fonts = FontConfiguration()
    document = HTML(string=segment_html(html), base_url=str(TEMPLATES))
    return document.render(stylesheets=_stylesheets(paper, fonts, html), font_config=fonts)


def referral_html(screening, referral, person, answers, officer, lang, by_person=()):
    """Return the referral document's HTML in ``lang``."""
    context = functools.partial(_context, screening, referral, person, answers, officer, lang, by_person)
    return _html("referral.html", context, lang)


def info_html(screening, referral, organisation, lang):
    """Return the person's "information for you" sheet's HTML in ``lang``."""
    context = {
        "doc_lang": html_lang(lang),
        "screening": screening,
        "referral": referral,
        "organisation": organisation,
        "shared": json.loads(referral["shared_items"]),
        "items": ITEMS_FOR_THE_PERSON,
        "qr": qr_data_uri(screening["reference"]),
    }
    return _html("info.html", lambda: context, lang)
