"""Helpers for the void tests of the patient's own check-ins and PSFS ratings (issue 13)."""

from __future__ import annotations

import html
from typing import TypeVar

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import csrf_token_from
from tests.factories import PASSWORD
from tests.web.commit_count import counting_commits
from tests.web.self_report_flow import ask, post_step, send
from therapy.extensions import db
from therapy.models import TreatmentEpisode

REASON = "Filled in by her partner in the waiting room, not by the patient"
Row = TypeVar("Row")


def saved(model: type[Row], row_id: int) -> Row:
    """The row as the database holds it now."""
    db.session.expire_all()
    row = db.session.get(model, row_id)
    assert row is not None
    return row


def episode_page(client: FlaskClient, episode: TreatmentEpisode) -> str:
    return html.unescape(client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}").text)


def void_url(episode: TreatmentEpisode, kind: str, row_id: int) -> str:
    return f"/patients/{episode.patient_id}/episodes/{episode.id}/{kind}/{row_id}/void"


def post_void(client: FlaskClient, url: str, reason: str) -> TestResponse:
    """Open the void form and post it with a reason; asserts a save is one commit."""
    page = client.get(url)
    assert page.status_code == 200, page.text
    with counting_commits() as commits:
        token = csrf_token_from(page.text)
        response = client.post(url, data={"csrf_token": token, "reason": reason})
    if response.status_code == 302:
        assert len(commits) == 1, commits
    return response


def answer_on_the_device(
    app: Flask, login, therapist, episode: TreatmentEpisode, steps: list[tuple[str, dict]], **asked
) -> FlaskClient:
    """The therapist asks, hands the device over, the patient answers and sends."""
    device = login(therapist, test_client=app.test_client())
    started = ask(device, episode.patient_id, episode.id, channel="device", **asked)
    assert started.status_code == 302, started.text
    for path, data in steps:
        assert post_step(device, path, data).status_code == 302
    assert send(device).status_code == 302
    page = device.get("/answer/return")
    back = device.post(
        "/answer/return", data={"csrf_token": csrf_token_from(page.text), "password": PASSWORD}
    )
    assert back.status_code == 302
    return device


def copy_text(client: FlaskClient, patient_id: int) -> str:
    """The text of the patient's copy of the record (the PDF in the download)."""
    import io
    import zipfile

    from tests.web.pdf_text import page_texts

    response = client.get(f"/patients/{patient_id}/record/copy/download")
    assert response.status_code == 200, response.status_code
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    (pdf,) = [name for name in archive.namelist() if name.endswith(".pdf") and "/" not in name]
    return " ".join(page_texts(archive.read(pdf)))
