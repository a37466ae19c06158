"""Acknowledgements: the receiver's signed answer to a referral, and the sender recording it on the referral.

The receiver downloads a small signed PDF/A document, rendered like the
referral and carrying its follow-up as JSON: which referral (the sender's id,
reference and time, and the fingerprint of the certificate that signed it), its
status (received, accepted or declined with the reason) and when. It names no
one: the sender knows who was referred. The sender imports it with the same
command or page as a referral. It is recorded only if it is signed by an
installation the sender trusts, names a referral the sender made (its random id
is only in the referral document), to the organisation the acknowledgement says
received it, signed by one of the sender's own keys; and only a step the
follow-up allows is recorded, once.
"""

from flask import current_app, render_template

from screening.access import can_see
from screening.cases import records
from screening.i18n.lazy import lazy_gettext as _l
from screening.protection import audit, certificates
from screening.referral import followup, pdf, received, referrals, signing
from screening.referral.received import ACKNOWLEDGEMENT_FORMAT, UID, Imported, ImportRefused

TEMPLATE = "received/acknowledgement_pdf.html"
NOT_OURS = _l("This acknowledgement is not about a referral made here, or not to the organisation that sent it.")


class NothingToAcknowledge(ValueError):
    """A received referral with no follow-up recorded yet: there is nothing to send back."""


def payload(received, last_event):
    """Return the machine-readable acknowledgement of a received case."""
    document = received["document"] or {}
    return {
        "format": ACKNOWLEDGEMENT_FORMAT,
        "referral_id": received["referral_uid"],
        "reference": received["sender_reference"],
        "referral_created_at": received["referral_created_at"],
        "referral_signer": received["signer_fingerprint"],
        "receiving_organisation": document.get("receiving_organisation"),
        "status": received["status"],
        "at": last_event["at"],
        "reason": last_event["reason"] if received["status"] == "declined" else None,
    }


def build(db, actor, received_case, paper="a4"):
    """Render and sign the acknowledgement of a received case, audited; return (file name, PDF bytes).

    Raise NothingToAcknowledge when nothing has been acknowledged yet.
    """
    steps = received.events(db, received_case["id"])
    # Once erased, the referral no longer says which organisation it was sent to: the sender could not match it.
    if received_case["document"] is None or received_case["status"] not in followup.ACKNOWLEDGING or not steps:
        raise NothingToAcknowledge(received_case["id"])
    attached = payload(received_case, steps[-1])
    html = render_template(
        TEMPLATE,
        received=received_case,
        ack=attached,
        statuses=followup.STATUSES,
        installation=current_app.extensions[certificates.EXTENSION].name,
        page_label=pdf.counter_text(str(_l("Page %(page)s of %(pages)s"))),
    )
    data = signing.sign(pdf.render(html, paper, attached))
    audit.record(db, "export_pdf", actor, detail={"document": "acknowledgement", "received": received_case["id"]})
    return f"acknowledgement-{received_case['sender_reference']}-{received_case['status']}.pdf", data


def _own_fingerprints():
    return {certificates.fingerprint(c) for c in current_app.extensions[certificates.EXTENSION].certificates()}


def import_acknowledgement(db, actor, user, document):
    """Record a checked acknowledgement on the referral it names; return Imported. ``user`` None: the shell.

    The signer's trust was checked by received.checked; here, that the referral is ours and was sent to them.
    """
    uid = document.get("referral_id")
    referral = referrals.by_uid(db, uid) if isinstance(uid, str) and UID.fullmatch(uid) else None
    reference = document.get("reference")
    screening = records.find(db, reference) if referral and isinstance(reference, str) else None
    if screening is None or screening["id"] != referral["screening_id"]:
        raise ImportRefused(NOT_OURS)
    if user is not None and not can_see(user, screening):
        raise ImportRefused(NOT_OURS)
    if (
        document.get("referral_created_at") != referral["created_at"]
        or document.get("receiving_organisation") != referral["organisation_name"]
        or document.get("referral_signer") not in _own_fingerprints()
    ):
        raise ImportRefused(NOT_OURS)
    status = document.get("status")
    if status not in followup.ACKNOWLEDGING:
        raise ImportRefused(_l("The referral attached to this document is incomplete or damaged."))
    if status == referral["status"] or status not in followup.allowed(referral["status"]):
        # Recorded already (this file imported before, or the step typed in by hand), or overtaken.
        return Imported("acknowledgement", False, reference=reference, status=referral["status"])
    reason = document.get("reason") if isinstance(document.get("reason"), str) else None
    if status in followup.NEEDS_REASON and not (reason or "").strip():
        reason = str(_l("No reason was given."))
    followup.advance(db, actor, screening, referral, status, reason=reason)
    return Imported("acknowledgement", True, reference=reference, status=status)


def import_file(db, actor, user, data, organisation):
    """Import a signed referral or acknowledgement; return Imported. Raise ImportRefused with the reason in words."""
    report, document = received.checked(db, actor, data)
    if document["format"] == ACKNOWLEDGEMENT_FORMAT:
        return import_acknowledgement(db, actor, user, document)
    return received.import_referral(db, actor, report, document, organisation)
