"""A finalised document is an archival PDF: PDF/A-3b, tagged, with its data inside as JSON."""

from __future__ import annotations

import io
import json
import re

from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.web.documents_seed import seed_reported_episode
from therapy.extensions import db
from therapy.models import Document
from therapy.services.documents.produce import DATA_ATTACHMENT_NAME

PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def _finalised(app, login, kind: str) -> tuple[bytes, Document]:
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    client.post(
        f"{base}/new", data={"csrf_token": csrf_token_from(client.get(base).text), "kind": kind}
    )
    db.session.expire_all()
    document = db.session.scalars(select(Document)).one()
    if kind == "gp_letter":
        document.content = dict(document.content) | {"agreed_with_patient": True}
        db.session.commit()
    page = client.get(f"{base}/{document.id}").text
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([^"]+)"', page)[1]
    response = client.post(
        f"{base}/{document.id}/finalise",
        data={"csrf_token": csrf_token_from(page), "confirm": "y", "fingerprint": fingerprint},
    )
    assert response.status_code == 302
    db.session.expire_all()
    return client.get(f"{base}/{document.id}/pdf").data, db.session.get(Document, document.id)


def _check_archival(pdf: bytes, document: Document, title: str) -> dict:
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata
    assert xmp is not None, "a final PDF carries XMP metadata"
    described = {
        key: value
        for node in xmp.rdf_root.getElementsByTagNameNS(
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description"
        )
        for key, value in node.attributes.items()
    }
    assert described.get("pdfaid:part") == "3" and described.get("pdfaid:conformance") == "B"
    assert title in (xmp.dc_title or {}).get("x-default", "")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root, "tagged"
    assert root["/Lang"] in ("en-GB", "en", "nl")
    assert "/OutputIntents" in root, "PDF/A names its colour space"
    assert list(reader.attachments) == [DATA_ATTACHMENT_NAME]
    data = json.loads(reader.attachments[DATA_ATTACHMENT_NAME][0])
    # The data inside is what was stored with the document when it was finalised.
    assert data == document.snapshot
    return data


def test_a_final_report_is_pdf_a_3b_with_its_data_inside(app, login):
    pdf, document = _finalised(app, login, "treatment_report")
    data = _check_archival(pdf, document, "Treatment report")
    assert data["record"]["patient"]["bsn"] == "111222333"
    assert data["record"]["phq15"]["baseline_total"] == 18
    assert data["meta"]["final"] is True


def test_a_final_letter_is_pdf_a_3b_with_its_data_and_plain_text_inside(app, login):
    pdf, document = _finalised(app, login, "gp_letter")
    data = _check_archival(pdf, document, "GP referral summary")
    assert "RESULT AND ANSWER TO THE REFERRAL QUESTION" in data["plain_text"]
    assert data["letter"]["agreed_with_patient"] is True
