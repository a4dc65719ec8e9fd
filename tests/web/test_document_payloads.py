"""Script, image, file://, http:// and CSS url() payloads in every printed text field.

Each payload goes into every free-text field the two documents print (names, addresses,
referral, goals, formulation, home exercises, PHQ-15 note, ending, advice, the letter's own
words). Both PDFs are then made through the web routes while a local HTTP server listens:
it must receive no request, the PDFs must embed no file, and the payload must be printed as
the text it is.
"""

from __future__ import annotations

import dataclasses
import http.server
import io
import threading
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests import figures
from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.web.documents_seed import Texts, seed_reported_episode
from tests.web.pdf_text import embedded_files, page_texts
from therapy.extensions import db
from therapy.models import Document
from therapy.services.documents.letter import content_fingerprint
from therapy.services.documents.produce import DATA_ATTACHMENT_NAME

PAYLOADS = (
    '<script>document.write("injected")</script>',
    '<img src="http://127.0.0.1:{port}/img.png">',
    '<img src="file:///etc/passwd">',
    "file:///etc/passwd",
    "http://127.0.0.1:{port}/plain",
    '<link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<div style="background:url(http://127.0.0.1:{port}/bg.png)">x</div>',
    '</style><style>@import url("http://127.0.0.1:{port}/i.css")</style>',
    "url(http://127.0.0.1:{port}/css-url.png)",
    '<svg><image href="file:///etc/passwd"/></svg>',
    '<object data="file:///etc/passwd"></object>',
)
# Columns shorter than the longest payload; the payload is cut to fit, as a form would.
SHORT_FIELDS = {"registration": 40}


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    hits: list[str] = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), type("H", (_Recorder,), {"hits": hits}))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1], hits
    httpd.shutdown()
    httpd.server_close()


def _texts(payload: str) -> Texts:
    values = {}
    for field in dataclasses.fields(Texts):
        limit = SHORT_FIELDS.get(field.name, len(payload))
        values[field.name] = payload[:limit]
    return Texts(**values)


def _start(client, base: str, kind: str) -> Document:
    token = csrf_token_from(client.get(base).text)
    assert client.post(f"{base}/new", data={"csrf_token": token, "kind": kind}).status_code == 302
    db.session.expire_all()
    return db.session.scalar(
        select(Document).where(Document.kind == kind).order_by(Document.id.desc())
    )


def test_payloads_in_every_text_field_fetch_nothing_and_embed_nothing(app, login, listener):
    port, hits = listener
    embedded = finals = 0
    for template in PAYLOADS:
        payload = template.format(port=port)
        therapist = make_user()
        episode = seed_reported_episode(therapist, _texts(payload))
        db.session.commit()
        client = login(therapist, test_client=app.test_client())
        base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
        report = _start(client, base, "treatment_report")
        letter = _start(client, base, "gp_letter")
        letter.content = {
            "summary": payload,
            "result": payload,
            "advice_gp": payload,
            "advice_patient": payload,
            "agreed_with_patient": True,
        }
        db.session.commit()
        for document in (report, letter):
            response = client.get(f"{base}/{document.id}/pdf")
            assert response.status_code == 200, payload
            assert response.mimetype == "application/pdf"
            embedded += embedded_files(response.data)
            text = " ".join(page_texts(response.data))
            assert "root:x:0:0" not in text
            # The payload is printed as text: its visible words are there, spaces aside.
            assert payload.replace(" ", "")[:30] in text.replace(" ", ""), payload
            preview = client.get(f"{base}/{document.id}/preview").text
            if "<" in payload:
                assert payload not in preview, "the preview escapes it as well"
        # Finalised, each is an archival PDF whose one embedded file is the data it was made
        # from (our JSON, given as bytes): the payload is in it as text, no file is read.
        for document in (report, letter):
            finalised = client.post(
                f"{base}/{document.id}/finalise",
                data={
                    "csrf_token": csrf_token_from(client.get(f"{base}/{document.id}").text),
                    "confirm": "y",
                    "fingerprint": content_fingerprint(document.content),
                },
            )
            assert finalised.status_code == 302, payload
            final_pdf = client.get(f"{base}/{document.id}/pdf").data
            names = list(PdfReader(io.BytesIO(final_pdf)).attachments)
            assert names == [DATA_ATTACHMENT_NAME], names
            assert embedded_files(final_pdf) == 1
            finals += 1
            data = PdfReader(io.BytesIO(final_pdf)).attachments[DATA_ATTACHMENT_NAME][0]
            assert b"root:x:0:0" not in data
            assert "root:x:0:0" not in " ".join(page_texts(final_pdf))
    assert hits == []
    assert embedded == 0
    figures.report(
        "pdf",
        f"pdf: {len(PAYLOADS)} payloads, {len(hits)} fetches, {embedded} embedded files "
        f"(drafts); {finals} final PDFs, each with only its data attachment",
    )
