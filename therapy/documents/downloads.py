"""Document output routes: the HTML preview, the PDF download and the preview stylesheet."""

from __future__ import annotations

import hashlib

from flask import Response, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as BaseResponse

from therapy.access.scoping import get_document_or_404, get_episode_or_404
from therapy.audit.events import note_event
from therapy.documents.blueprint import assets_bp, bp
from therapy.downloads import as_attachment
from therapy.i18n.translation import gettext as _
from therapy.models import Document, TreatmentEpisode
from therapy.models.enums import AuditAction, AuditOutcome, DocumentKind
from therapy.services.documents.current import draft_output
from therapy.services.documents.gather import EPISODE_LOAD_OPTIONS
from therapy.services.documents.produce import document_css, document_html, document_pdf, file_name

# Not a 500: the app works; the stored record does not match what was finalised.
TAMPERED_STATUS = 409


def _no_consent(patient_id: int, episode_id: int, document_id: int) -> BaseResponse:
    flash(_("Record the patient's consent to inform the GP first: no consent, no letter."), "error")
    return redirect(
        url_for(
            "documents.detail",
            patient_id=patient_id,
            episode_id=episode_id,
            document_id=document_id,
        )
    )


@bp.route("/<int:document_id>/preview")
def preview(patient_id: int, episode_id: int, document_id: int) -> str | BaseResponse:
    """A draft as HTML, from the same template as its PDF."""
    document = get_document_or_404(patient_id, episode_id, document_id)
    episode = get_episode_or_404(patient_id, episode_id, *EPISODE_LOAD_OPTIONS)
    back = url_for(
        "documents.detail", patient_id=patient_id, episode_id=episode_id, document_id=document_id
    )
    if document.is_final:
        # A final document is its stored PDF; an HTML made now could differ from it.
        return render_template(
            "documents/final_preview.html",
            document=document,
            patient=episode.patient,
            episode=episode,
            back=back,
        )
    if document.kind == DocumentKind.GP_LETTER and episode.gp_consent is not True:
        return _no_consent(patient_id, episode_id, document_id)
    meta, record, letter = draft_output(document, episode)
    # The print layout, which the browser prints as it is: on the trail as a print.
    _note_output(AuditAction.PRINT, document, episode, "print view (HTML)")
    return document_html(meta, record, letter, preview=True, back_url=back)


@bp.route("/<int:document_id>/pdf")
def pdf(patient_id: int, episode_id: int, document_id: int) -> BaseResponse | tuple[str, int]:
    """Download the PDF: a final version's stored bytes, or a draft rendered now."""
    document = get_document_or_404(patient_id, episode_id, document_id)
    episode = get_episode_or_404(patient_id, episode_id, *EPISODE_LOAD_OPTIONS)
    if document.is_final:
        body = document.pdf or b""
        if hashlib.sha256(body).hexdigest() != document.sha256:
            return _tampered(document, episode)
    elif document.kind == DocumentKind.GP_LETTER and episode.gp_consent is not True:
        return _no_consent(patient_id, episode_id, document_id)
    else:
        body = document_pdf(*draft_output(document, episode))
    # The file leaves the system, final or draft: an export (NEN 7513).
    _note_output(AuditAction.EXPORT, document, episode, "PDF download")
    name = file_name(document, episode.patient.record_number)
    response = Response(body, mimetype="application/pdf")
    as_attachment(response, name)
    response.headers["Cache-Control"] = "no-store"
    return response


def _note_output(
    action: AuditAction, document: Document, episode: TreatmentEpisode, what: str
) -> None:
    """Put a print or download of a document on the audit trail, naming the version."""
    status = "final" if document.is_final else "draft"
    note_event(
        action,
        patient_id=episode.patient_id,
        object_type="document",
        object_id=document.id,
        detail=f"{what}: {document.kind.value} v{document.version}, {status}",
    )


def _tampered(document: Document, episode: TreatmentEpisode) -> tuple[str, int]:
    """Refuse to serve a final PDF whose bytes no longer match its SHA-256, and log it."""
    note_event(
        AuditAction.EXPORT,
        patient_id=episode.patient_id,
        object_type="document",
        object_id=document.id,
        outcome=AuditOutcome.FAILED,
        detail="stored PDF does not match its SHA-256; not served",
    )
    back = url_for(
        "documents.detail",
        patient_id=episode.patient_id,
        episode_id=episode.id,
        document_id=document.id,
    )
    page = render_template(
        "documents/integrity_error.html",
        document=document,
        patient=episode.patient,
        episode=episode,
        back=back,
    )
    return page, TAMPERED_STATUS


@assets_bp.route("/print.css")
def stylesheet() -> Response:
    """The documents' print stylesheet with browser URLs for the bundled fonts."""
    return Response(document_css(preview=True), mimetype="text/css")
