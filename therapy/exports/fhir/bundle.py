"""A patient's whole record as a FHIR R4 Bundle, and the practice's records as NDJSON lines.

`patient_bundle(patient_id)` is the public entry for one patient (the therapist's download,
the patient's own copy); `practice_ndjson()` streams every resource of the practice, one per
line, a chunk of patients at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select

from therapy.exports.fhir import codes as c
from therapy.exports.fhir.care import document_resource, encounter_resource, episode_resource
from therapy.exports.fhir.measures import phq15_resources, psfs_resources
from therapy.exports.fhir.people import (
    gp_resource,
    patient_resource,
    practitioner_resource,
)
from therapy.exports.fhir.validate import (
    ResourceValidator,
    check_bundle_round_trip,
    compact_json,
)
from therapy.exports.records import (
    CHUNK_PATIENTS,
    PatientRecord,
    document_pdf,
    iter_records,
    patient_ids,
    records_of,
    utc_text,
)
from therapy.extensions import db
from therapy.models import GeneralPractitioner, User
from therapy.models.enums import Role
from therapy.models.types import utcnow

NDJSON_TYPE = "application/fhir+ndjson"
BUNDLE_TYPE = "application/fhir+json"


def record_resources(record: PatientRecord) -> Iterator[dict[str, Any]]:
    """Every resource of one patient's record (not the practitioners it refers to)."""
    patient = record.row
    yield patient_resource(patient)
    for episode in record.episodes:
        yield episode_resource(patient, episode)
        for session in episode.sessions:
            yield encounter_resource(patient, episode, session)
        for administration in episode.phq15:
            yield from phq15_resources(patient, administration)
        for administration in episode.voided_phq15:
            yield from phq15_resources(patient, administration)  # as entered-in-error
        yield from psfs_resources(patient, episode)
        for document in episode.documents:
            yield document_resource(patient, episode, document, document_pdf(document.id))


def _practitioners(user_ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = sorted(set(user_ids))
    users = db.session.execute(select(User.__table__).where(User.id.in_(ids))).all() if ids else []
    return [practitioner_resource(user) for user in users]


def _gps(gp_ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = sorted(set(gp_ids))
    table = GeneralPractitioner.__table__
    rows = db.session.execute(select(table).where(table.c.id.in_(ids))).all() if ids else []
    return [gp_resource(gp) for gp in rows]


def patient_bundle(patient_id: int, base_url: str) -> dict[str, Any] | None:
    """One patient's record as a collection Bundle, validated and read back; None if unknown.

    The caller scopes: this reads whatever patient it is given.
    """
    records = next(iter_records([patient_id]), [])
    if not records:
        return None
    record = records[0]
    resources = list(record_resources(record))
    therapists = {record.row.therapist_id}
    for episode in record.episodes:
        therapists.add(episode.row.therapist_id)
        therapists.update(document.author_id for document in episode.documents)
    gps = {record.row.gp_id} - {None}
    gps.update(e.row.referred_by_id for e in record.episodes if e.row.referred_by_id)
    everything = [*resources, *_practitioners(therapists), *_gps(gps)]  # type: ignore[arg-type]
    bundle = {
        "resourceType": "Bundle",
        "id": f"record-{patient_id}",
        "meta": {"lastUpdated": utc_text(utcnow())},
        "type": "collection",
        "timestamp": utc_text(utcnow()),
        "entry": [
            {"fullUrl": f"{base_url}/{r['resourceType']}/{r['id']}", "resource": r}
            for r in everything
        ],
    }
    validator = ResourceValidator()
    for resource in everything:
        validator.check(resource)
    check_bundle_round_trip(bundle)
    return bundle


def practitioner_lines(validator: ResourceValidator | None = None) -> bytes:
    """Every therapist and every GP of the practice as NDJSON lines (the file's first lines)."""
    validator = validator or ResourceValidator()
    therapists = db.session.scalars(select(User.id).where(User.role == Role.THERAPIST)).all()
    gps = db.session.scalars(select(GeneralPractitioner.id)).all()
    return _lines([*_practitioners(therapists), *_gps(gps)], validator)


_chunk_validator = ResourceValidator()


def chunk_lines(ids: Sequence[int]) -> bytes:
    """The records of a chunk of (sorted) patient ids as validated NDJSON lines."""
    records = records_of(ids)
    return _lines((r for record in records for r in record_resources(record)), _chunk_validator)


def _lines(resources: Iterable[dict[str, Any]], validator: ResourceValidator) -> bytes:
    out = []
    for resource in resources:
        line = compact_json(resource)
        validator.check(resource, line)
        out.append(line)
        out.append(b"\n")
    return b"".join(out)


def practice_ndjson(*, progress: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """Every resource of the practice, validated, one NDJSON line each, chunk by chunk.

    Practitioners (every therapist and every GP) come first, then each patient's record;
    `progress` is told how many patients are done after each chunk.
    """
    yield practitioner_lines()
    ids = patient_ids()
    done = 0
    for start in range(0, len(ids), CHUNK_PATIENTS):
        chunk = ids[start : start + CHUNK_PATIENTS]
        yield chunk_lines(chunk)
        done += len(chunk)
        if progress is not None:
            progress(done)


__all__ = ["BUNDLE_TYPE", "NDJSON_TYPE", "c", "patient_bundle", "practice_ndjson"]
