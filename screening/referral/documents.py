"""The printed documents of a referral, built the same way for the web and the command line.

Two documents: the referral, for the receiving organisation (in its print
language unless another is chosen, with the referral attached as JSON), and the
person's "information for you" sheet (in the interview language). Printing one
is recorded on the case (``exports``: who, when, what, for whom, in which
language, from where) and in the audit trail, in one transaction. The referring
officer printed on a referral is the one who made it, whoever prints it. Every
document is signed by the installation (signing.py) as soon as it is rendered.
"""

from screening.accounts import store
from screening.cases import records
from screening.db.connection import now, write_transaction
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection import audit
from screening.referral import directory, pdf, person, signing

DOCUMENTS = {
    "referral": _l("Referral"),
    "info": _l("Information for the person"),
}
PAPER = tuple(pdf.PAPER)
VIA = ("web", "cli")


def default_language(screening, referral, document):
    """Return the language a document is printed in unless another is chosen."""
    return referral["print_lang"] if document == "referral" else screening["interview_lang"]


def build(db, actor, screening, referral, document, *, lang=None, paper="a4", via="web"):
    """Render one document of a referral, record the print and audit it; return (file name, PDF bytes)."""
    if document not in DOCUMENTS or paper not in PAPER or via not in VIA:
        raise ValueError(f"unknown document, paper or way: {document!r}, {paper!r}, {via!r}")
    lang = lang or default_language(screening, referral, document)
    if document == "referral":
        officer = store.get(db, referral["created_by"]) or {}
        details = person.stored(db, screening["id"])
        answers = records.answers(db, screening["id"])
        alone = records.answered_by_person(db, screening["id"])
        html = pdf.referral_html(screening, referral, details, answers, officer, lang, alone)
        attached = pdf.payload(screening, referral, details, answers, officer, alone)
        # The referral's own id lets the receiver import it once and acknowledge it (received.py).
        data = pdf.render(html, paper, {**attached, "referral_id": referral["uid"]})
    else:
        organisation = directory.get_organisation(db, referral["organisation_id"])
        data = pdf.render(pdf.info_html(screening, referral, organisation, lang), paper)
    data = signing.sign(data)
    with write_transaction(db):
        db["exports"].insert(
            {
                "screening_id": screening["id"],
                "referral_id": referral["id"],
                "document": document,
                "lang": lang,
                "user_id": actor.id,
                "via": via,
                "created_at": now(),
            }
        )
        detail = {"document": document, "lang": lang, "referral": referral["id"], "via": via}
        audit.record(db, "export_pdf", actor, reference=screening["reference"], detail=detail)
    return f"{screening['reference']}-{document}-{referral['id']}-{lang}.pdf", data


def printed(db, screening_id):
    """Return the documents printed for a case, newest first, with who printed them and for whom."""
    rows = list(
        db.query(
            "select e.*, o.name as organisation_name from exports e "
            "left join referrals r on r.id = e.referral_id "
            "left join organisations o on o.id = r.organisation_id "
            "where e.screening_id = ? order by e.id desc",
            [screening_id],
        )
    )
    names = store.usernames(db, [row["user_id"] for row in rows])
    return [{**row, "username": names.get(row["user_id"])} for row in rows]
