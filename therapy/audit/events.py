"""Audit events waiting for their transaction: reads, searches and changes of patient data.

- Reads: the scoping helpers note a read when they load a patient's record for a GET (or a
  denied read when they answer 404); the request's reads are written and committed at its end.
- Searches: the scoped caseload search notes the query.
- Changes: a SQLAlchemy hook (therapy.audit.changes) turns every created, changed or deleted
  clinical row into an event for its patient.
Events wait in a queue on the database session and are appended to the hash chain just
before that session commits (therapy.audit.hooks), so they are part of the same transaction
as the action.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Session

from therapy.audit.chain import SYSTEM, Actor, append_events, new_event
from therapy.audit.queries import search_detail
from therapy.extensions import db
from therapy.models.enums import AuditAction, AuditOutcome

_QUEUE_KEY = "audit_queue"
READ_METHODS = frozenset({"GET", "HEAD"})
# Every other audited object (session, PHQ-15, formulation entry, document) is a child of an
# episode; a new, deeper kind of object would need its own entry here.
_READ_DEPTHS = {"patient": 0, "treatment_episode": 1}
_CHILD_DEPTH = 2


@dataclass(frozen=True)
class PendingEvent:
    """An event waiting for its transaction to commit."""

    action: AuditAction
    actor: Actor
    patient_id: int | None
    object_type: str = ""
    object_id: int | None = None
    outcome: AuditOutcome = AuditOutcome.SUCCESS
    detail: str = ""


def current_actor(user_id: int | None = None) -> Actor:
    """The account, address and endpoint of the current request (or the system, outside one)."""
    if not has_request_context():
        return SYSTEM
    answering = g.get("self_report_actor")
    if answering is not None and user_id is None:
        # A patient answering their own questionnaire (therapy.self_report): the patient acts,
        # on behalf of nobody; the therapist who asked is named as the one it is for.
        therapist_id, source = answering
        return Actor(
            on_behalf_of_id=therapist_id,
            client_address=request.remote_addr or "",
            endpoint=request.endpoint or request.path[:120],
            patient_source=source,
        )
    if user_id is None:
        # A form kept for an account whose login just ended is that account's action.
        user_id = g.get("acting_user_id")
    if user_id is None and current_user.is_authenticated:
        user_id = int(current_user.id)
    return Actor(
        user_id=user_id,
        client_address=request.remote_addr or "",
        endpoint=request.endpoint or request.path[:120],
    )


def _queue(session: Session) -> list[PendingEvent]:
    return session.info.setdefault(_QUEUE_KEY, [])  # type: ignore[no-any-return]


def note(session: Session, pending: PendingEvent) -> None:
    """Queue an event for the session's next commit, once per identical event."""
    queue = _queue(session)
    if pending not in queue:
        queue.append(pending)


def note_read(
    patient_id: int,
    object_type: str,
    object_id: int | None,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
) -> None:
    """Record that this GET request shows a patient's record (one event per patient).

    The most specific object looked up is kept, whatever the order of the lookups: a view that
    loads a document and then its episode read the document. Of two equally deep objects the
    later one is kept.
    """
    if not has_request_context() or request.method not in READ_METHODS:
        return
    reads: dict[tuple[int, AuditOutcome], PendingEvent] = g.setdefault("audit_reads", {})
    key = (patient_id, outcome)
    kept = reads.get(key)
    if kept is not None and read_depth(kept.object_type) > read_depth(object_type):
        return
    reads[key] = PendingEvent(
        AuditAction.READ, current_actor(), patient_id, object_type, object_id, outcome
    )


def read_depth(object_type: str) -> int:
    """How far below the patient an object sits: patient 0, episode 1, an episode's child 2."""
    return _READ_DEPTHS.get(object_type, _CHILD_DEPTH)


def note_search(text: str, results: int) -> None:
    """Record a search of the caseload with its query and how many patients it found."""
    note(
        db.session(),
        PendingEvent(
            AuditAction.SEARCH,
            current_actor(),
            None,
            "patient",
            None,
            detail=search_detail(results, text),
        ),
    )


def note_event(
    action: AuditAction,
    *,
    patient_id: int | None,
    object_type: str = "",
    object_id: int | None = None,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    detail: str = "",
    user_id: int | None = None,
) -> None:
    """Queue any event (print, export, login, account change) for the current transaction."""
    note(
        db.session(),
        PendingEvent(
            action, current_actor(user_id), patient_id, object_type, object_id, outcome, detail
        ),
    )


def write_queue(session: Session) -> None:
    """Append every queued event to the chain (called just before the session commits)."""
    reads = g.pop("audit_reads", {}) if has_request_context() else {}
    queue = _queue(session)
    queue.extend(event for event in reads.values() if event not in queue)
    while queue:
        # Every queued event in one statement; a flush may queue more (a row it writes).
        batch = list(queue)
        queue.clear()
        append_events(
            [
                new_event(
                    pending.action,
                    actor=pending.actor,
                    patient_id=pending.patient_id,
                    object_type=pending.object_type,
                    object_id=pending.object_id,
                    outcome=pending.outcome,
                    detail=pending.detail,
                )
                for pending in batch
            ]
        )


def has_pending(session: Session) -> bool:
    """True when events are waiting for a commit."""
    return bool(session.info.get(_QUEUE_KEY)) or bool(g.get("audit_reads"))


def drop_queue(session: Session) -> None:
    """Forget the queued events: their transaction rolled back, so the action did not happen."""
    session.info.pop(_QUEUE_KEY, None)
