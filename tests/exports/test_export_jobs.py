"""Practice exports from the administrator's page: started, followed, downloaded, audited."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from fhir.resources import construct_fhir_element
from flask import Flask
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.exports.seed import seed_treatment
from tests.factories import make_user
from therapy.exports import jobs
from therapy.extensions import db
from therapy.models import AuditEvent, ExportJob, Patient
from therapy.models.enums import AuditAction, ExportKind, ExportStatus, Role

KEY = "a-research-key-of-forty-characters-00000"


def _start(client, kind: str):
    page = client.get("/admin/exports")
    assert page.status_code == 200
    return client.post(
        "/admin/exports/start", data={"csrf_token": csrf_token_from(page.text), "kind": kind}
    )


def _job(kind: ExportKind) -> ExportJob:
    db.session.expire_all()
    return db.session.scalars(select(ExportJob).where(ExportJob.kind == kind)).one()


def _exports() -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT))
    )


@pytest.fixture
def admin(app: Flask, login):
    seed_treatment()
    seed_treatment(family_name="Bakker")
    user = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    return login(user)


def test_the_research_export_runs_shows_progress_and_downloads(
    app: Flask, admin, monkeypatch
) -> None:
    monkeypatch.setenv("RESEARCH_PSEUDONYM_KEY", KEY)
    response = _start(admin, "research")
    assert response.status_code == 302
    job = _job(ExportKind.RESEARCH)
    assert job.status == ExportStatus.DONE and job.done == job.total == 2
    status = admin.get(f"/admin/exports/{job.id}/status").get_json()
    assert status["percent"] == 100 and status["download"].endswith("/download")
    page = admin.get("/admin/exports").text
    assert f'data-export-status="/admin/exports/{job.id}/status"' in page
    assert 'value="100"' in page
    with admin.get(status["download"]) as download:
        assert download.status_code == 200 and download.mimetype == "application/zip"
        data = download.get_data()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "data_dictionary.csv" in archive.namelist()
        assert archive.read("patients.csv").decode().count("\r\n") == 3  # header and two
    details = [event.detail for event in _exports()]
    assert details == [
        "research data set of the practice written: 2 patients",
        "research data set of the practice downloaded: 2 patients",
    ]


def test_the_research_export_refuses_without_a_key(app: Flask, admin, monkeypatch) -> None:
    monkeypatch.delenv("RESEARCH_PSEUDONYM_KEY", raising=False)
    assert "RESEARCH_PSEUDONYM_KEY is not set" in admin.get("/admin/exports").text
    response = _start(admin, "research")
    assert response.status_code == 302
    assert "RESEARCH_PSEUDONYM_KEY is not set" in admin.get("/admin/exports").text
    assert db.session.scalars(select(ExportJob)).all() == []


def test_the_practice_ndjson_holds_every_record_one_valid_resource_per_line(
    app: Flask, admin
) -> None:
    _start(admin, "fhir_practice")
    job = _job(ExportKind.FHIR_PRACTICE)
    assert job.status == ExportStatus.DONE, job.error
    with admin.get(f"/admin/exports/{job.id}/download") as download:
        body = download.get_data().decode("utf-8")
    lines = body.splitlines()
    resources = [json.loads(line) for line in lines]
    for resource in resources:
        construct_fhir_element(resource["resourceType"], resource)  # parses back
    patients = [r for r in resources if r["resourceType"] == "Patient"]
    families = {p["name"][0]["family"] for p in patients}
    assert families == set(db.session.scalars(select(Patient.family_name)))
    ids = [r["resourceType"] + "/" + r["id"] for r in resources]
    assert len(ids) == len(set(ids))
    references = {
        value
        for line in lines
        for value in [part.split('"')[0] for part in line.split('"reference":"')[1:]]
    }
    assert references <= set(ids), references - set(ids)


def test_a_therapist_reaches_no_practice_export(app: Flask, login) -> None:
    therapist = make_user()
    db.session.commit()
    client = login(therapist)
    assert client.get("/admin/exports").status_code == 403
    assert client.post("/admin/exports/start", data={"kind": "research"}).status_code in (400, 403)


def test_the_job_runs_in_a_process_of_its_own(app: Flask, admin, monkeypatch) -> None:
    monkeypatch.setenv("RESEARCH_PSEUDONYM_KEY", KEY)
    app.config["EXPORT_RUN_INLINE"] = False
    _start(admin, "research")
    job = _job(ExportKind.RESEARCH)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = admin.get(f"/admin/exports/{job.id}/status").get_json()
        if not status["running"]:
            break
        time.sleep(0.5)
    for process in jobs.running_processes():
        process.wait(timeout=60)
    assert status["status"] == "done", status
    with admin.get(status["download"]) as download:
        assert download.mimetype == "application/zip"


def test_the_owner_downloads_a_patients_bundle_and_it_is_audited(app: Flask, login) -> None:
    seeded = seed_treatment()
    other = make_user()
    db.session.commit()
    response = login(seeded.therapist).get(f"/patients/{seeded.patient_id}/export/fhir")
    assert response.status_code == 200 and response.mimetype == "application/fhir+json"
    assert "Jansen" not in response.headers["Content-Disposition"]
    bundle = construct_fhir_element("Bundle", response.get_data())
    assert bundle.type == "collection" and len(bundle.entry) > 40
    (event,) = _exports()
    assert event.patient_id == seeded.patient_id and event.user_id == seeded.therapist.id
    outsider = login(other, test_client=app.test_client())
    assert outsider.get(f"/patients/{seeded.patient_id}/export/fhir").status_code == 404
    assert len(_exports()) == 1
