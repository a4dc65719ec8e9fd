"""Downloads named by any record number reach the browser, and are audited once they do.

Finding 5 of the outside test: a PDF of record number "ΑΒΓ-1" broke the connection (the
header is Latin-1 on the wire) while the audit trail said the export succeeded.
"""

from __future__ import annotations

import hashlib
import urllib.request
from datetime import UTC, datetime

from sqlalchemy import select
from werkzeug.http import parse_options_header

from tests.factories import make_episode, make_patient, make_user
from therapy.downloads import content_disposition
from therapy.extensions import db
from therapy.models import AuditEvent, Document
from therapy.models.enums import AuditAction, AuditOutcome, DocumentKind, DocumentStatus

PDF = b"%PDF-1.7 as finalised"


def _final_document(record_number: str):
    therapist = make_user()
    episode = make_episode(make_patient(therapist, record_number=record_number))
    document = Document(
        episode_id=episode.id,
        kind=DocumentKind.TREATMENT_REPORT,
        version=1,
        status=DocumentStatus.FINAL,
        author_id=therapist.id,
        content={},
        pdf=PDF,
        sha256=hashlib.sha256(PDF).hexdigest(),
        snapshot={"format": 1},
        finalised_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    db.session.add(document)
    db.session.commit()
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents/{document.id}/pdf"
    return therapist, url


def _exports() -> list[tuple[AuditAction, AuditOutcome]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(AuditEvent.action, AuditEvent.outcome).where(AuditEvent.action == AuditAction.EXPORT)
    )
    return [tuple(row) for row in rows]


def test_a_greek_record_number_downloads_over_a_real_server(app, login, live_server) -> None:
    therapist, url = _final_document("ΑΒΓ-1")
    client = login(therapist)
    cookie = next(c for c in client._cookies.values() if c.key == "therapy_session")
    request = urllib.request.Request(
        live_server + url, headers={"Cookie": f"therapy_session={cookie.value}"}
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        body = response.read()
        disposition = response.headers["Content-Disposition"]
    assert body == PDF
    kind, options = parse_options_header(disposition)
    assert kind == "attachment"
    # The browser saves it under the exact name; older clients get the ASCII fallback.
    assert options["filename"] == "treatment-report-ΑΒΓ-1-v1-final.pdf"
    assert disposition.isascii() and "ΑΒΓ" not in disposition
    assert _exports() == [(AuditAction.EXPORT, AuditOutcome.SUCCESS)]


def test_names_survive_a_standard_parser() -> None:
    for name in ("copy-R000001.zip", "brief-Ærø-ΑΒΓ-Щ-東京.pdf", 'we"ird\\name.pdf', "naïve.pdf"):
        header = content_disposition(name)
        header.encode("latin-1")
        kind, options = parse_options_header(header)
        assert (kind, options["filename"]) == ("attachment", name)


def test_an_unsendable_download_is_not_audited_as_exported(app, login, monkeypatch) -> None:
    """Whatever a future view does wrong, the trail does not claim bytes that never left."""
    from therapy.documents import downloads

    therapist, url = _final_document("R-1")
    client = login(therapist)

    def broken(response, name):
        response.headers["Content-Disposition"] = f'attachment; filename="{name}Ω"'
        return response

    monkeypatch.setattr(downloads, "as_attachment", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.get(url).status_code == 500
    assert _exports() == []
