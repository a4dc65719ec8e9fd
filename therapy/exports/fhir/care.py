"""The treatment as FHIR: EpisodeOfCare, an Encounter per session, a DocumentReference per PDF."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from therapy.exports.fhir import codes as c
from therapy.exports.fhir.people import patient_id, practitioner_id
from therapy.exports.records import EpisodeRecord, utc_text
from therapy.models.enums import Attendance, EpisodeStatus
from therapy.models.therapy_session import ELEMENT_MINUTE_COLUMNS

EPISODE_STATUS = {
    EpisodeStatus.INTAKE: "planned",
    EpisodeStatus.ACTIVE: "active",
    EpisodeStatus.CLOSED: "finished",
}
# R4's Encounter has no "no-show": both kinds of missed session are cancelled encounters,
# and the attendance extension keeps which it was.
ENCOUNTER_STATUS = {
    Attendance.ATTENDED: "finished",
    Attendance.CANCELLED: "cancelled",
    Attendance.NO_SHOW: "cancelled",
}


class DocumentIntegrityError(Exception):
    """A stored PDF no longer matches its SHA-256: it is not exported as if it were intact."""


def sha1(data: bytes) -> bytes:
    """SHA-1 as FHIR R4's Attachment.hash defines it (an identity check, not a safeguard)."""
    return hashlib.sha1(data, usedforsecurity=False).digest()


def episode_id(episode: Any) -> str:
    """The EpisodeOfCare resource id of an episode row."""
    return f"episode-{episode.id}"


def encounter_id(session_id: int) -> str:
    """The Encounter resource id of a session."""
    return f"encounter-{session_id}"


def episode_resource(patient: Any, record: EpisodeRecord) -> dict[str, Any]:
    """The treatment episode: status, period, treating therapist and, once closed, why."""
    episode = record.row
    period = {"start": episode.started_on.isoformat()}
    if episode.closed_on is not None:
        period["end"] = episode.closed_on.isoformat()
    resource: dict[str, Any] = {
        "resourceType": "EpisodeOfCare",
        "id": episode_id(episode),
        "status": EPISODE_STATUS[episode.status],
        "type": [{"text": "Psychosomatic therapy"}],
        "patient": c.reference("Patient", patient_id(patient)),
        "period": period,
        "careManager": c.reference("Practitioner", practitioner_id(episode.therapist_id)),
    }
    if episode.ending_reason is not None:
        resource["extension"] = [
            {
                "url": c.ENDING_REASON_EXTENSION,
                "valueCoding": c.coding(c.ENDING_REASON_SYSTEM, str(episode.ending_reason)),
            }
        ]
    return resource


def _element_minutes(session: Any) -> list[dict[str, Any]]:
    """One complex extension per protocol element: the element and its minutes."""
    return [
        {
            "url": c.ELEMENT_MINUTES_EXTENSION,
            "extension": [
                {
                    "url": "element",
                    "valueCoding": c.coding(c.PROTOCOL_ELEMENT_SYSTEM, element.value),
                },
                {"url": "minutes", "valueQuantity": c.minutes(getattr(session, column))},
            ],
        }
        for element, column in ELEMENT_MINUTE_COLUMNS.items()
    ]


def encounter_resource(patient: Any, record: EpisodeRecord, session: Any) -> dict[str, Any]:
    """One session: date, duration, attendance, session number and minutes per element."""
    episode = record.row
    resource: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": encounter_id(session.id),
        "extension": [
            {"url": c.SESSION_NUMBER_EXTENSION, "valuePositiveInt": session.number},
            {
                "url": c.ATTENDANCE_EXTENSION,
                "valueCoding": c.coding(c.ATTENDANCE_SYSTEM, str(session.attendance)),
            },
            *_element_minutes(session),
        ],
        "status": ENCOUNTER_STATUS[session.attendance],
        "class": c.coding(c.ACT_CODE, "AMB"),
        "subject": c.reference("Patient", patient_id(patient)),
        "episodeOfCare": [c.reference("EpisodeOfCare", episode_id(episode))],
        "participant": [
            {"individual": c.reference("Practitioner", practitioner_id(episode.therapist_id))}
        ],
        "period": {"start": session.held_on.isoformat(), "end": session.held_on.isoformat()},
    }
    if session.duration_minutes is not None:
        resource["length"] = c.minutes(session.duration_minutes)
    return resource


def document_resource(
    patient: Any, record: EpisodeRecord, document: Any, pdf: bytes
) -> dict[str, Any]:
    """A final document: the exact PDF as attachment, its SHA-1 (FHIR's hash) and SHA-256."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    if sha256 != document.sha256:
        raise DocumentIntegrityError(
            f"document {document.id} does not match the SHA-256 stored when it was finalised"
        )
    superseded = {d.supersedes_id for d in record.documents if d.supersedes_id is not None}
    resource: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": f"document-{document.id}",
        "status": "superseded" if document.id in superseded else "current",
        "docStatus": "final",
        "type": c.concept(c.DOCUMENT_KIND_SYSTEM, str(document.kind)),
        "subject": c.reference("Patient", patient_id(patient)),
        "date": utc_text(document.finalised_at),
        "author": [c.reference("Practitioner", practitioner_id(document.author_id))],
        "description": f"{document.kind} version {document.version}",
        "content": [
            {
                "attachment": {
                    "extension": [{"url": c.SHA256_EXTENSION, "valueString": sha256}],
                    "contentType": "application/pdf",
                    "data": base64.b64encode(pdf).decode("ascii"),
                    "size": len(pdf),
                    # FHIR R4 defines Attachment.hash as the base64 of the SHA-1 of the data.
                    "hash": base64.b64encode(sha1(pdf)).decode("ascii"),
                    "creation": utc_text(document.finalised_at),
                }
            }
        ],
    }
    if document.supersedes_id is not None:
        resource["relatesTo"] = [
            {
                "code": "replaces",
                "target": c.reference("DocumentReference", f"document-{document.supersedes_id}"),
            }
        ]
    return resource
