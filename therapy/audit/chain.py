"""The NEN 7513 access log: append an event, verify the hash chain (SECURITY.md promise 9).

Each row's hash is SHA-256 over the previous row's hash and the row's own content in a
canonical form, so changing, removing or inserting a row breaks the chain at that point.
Appends are serialised so the chain never forks: on PostgreSQL a transaction-level advisory
lock, on SQLite the write lock every transaction takes (BEGIN IMMEDIATE). The database
refuses UPDATE and DELETE of the table (migration 5b8e0f3a9c1d).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, text

from therapy.audit.redaction import RedactionCheck
from therapy.extensions import db
from therapy.models import AuditEvent
from therapy.models.enums import AuditAction, AuditOutcome
from therapy.models.types import utcnow

GENESIS_HASH = "0" * 64
# Any fixed number: every transaction that appends takes this one advisory lock.
_CHAIN_LOCK = 7513


@dataclass(frozen=True)
class Actor:
    """Who acted, for whom, from where and through which page."""

    user_id: int | None = None
    on_behalf_of_id: int | None = None
    client_address: str = ""
    endpoint: str = ""
    # Set when the patient acts (answers a questionnaire): how they answered, e.g.
    # "patient_link"; the account fields then name no user, only the therapist who asked.
    patient_source: str = ""


SYSTEM = Actor(endpoint="system")


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the chain: rows checked and the first broken link, if any."""

    rows: int
    broken_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        """True when every row follows its predecessor and matches its hash."""
        return self.broken_id is None


def _clean(value: str, limit: int) -> str:
    """Printable text that fits the column (PostgreSQL refuses NUL characters)."""
    kept = "".join(c for c in value if unicodedata.category(c) not in ("Cc", "Cs") or c == " ")
    return kept[:limit]


def canonical_content(event: Any) -> str:
    """The row's content as one unambiguous string: the input of its hash.

    Takes an AuditEvent or a plain row of the audit_event table.
    """
    occurred = event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(
        {
            "occurred_at": occurred,
            "action": AuditAction(event.action).value,
            "outcome": AuditOutcome(event.outcome).value,
            "user_id": event.user_id,
            "on_behalf_of_id": event.on_behalf_of_id,
            "patient_id": event.patient_id,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "endpoint": event.endpoint,
            "client_address": event.client_address,
            "detail": event.detail,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def chained_hash(prev_hash: str, event: Any) -> str:
    """SHA-256 over the previous hash and this row's canonical content."""
    data = prev_hash + "\n" + canonical_content(event)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


# The chain's tail as this transaction left it: (the transaction, the last hash it appended).
# While a transaction holds the chain's lock no other can append, so its next event follows
# its own last one; a savepoint begun or ended since makes it another transaction object, and
# the tail is read from the table again (a rolled-back savepoint may have held the row).
_TAIL_KEY = "audit_chain_tail"


def _transaction() -> object:
    session = db.session()
    return session.get_nested_transaction() or session.get_transaction()


def _lock_chain() -> None:
    tail = db.session().info.get(_TAIL_KEY)
    if tail is not None and tail[0] is _transaction():
        return  # this transaction holds the lock already
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})


def _last_hash() -> str:
    tail = db.session().info.get(_TAIL_KEY)
    if tail is not None and tail[0] is _transaction():
        return str(tail[1])
    last = db.session.scalar(select(AuditEvent.row_hash).order_by(AuditEvent.id.desc()).limit(1))
    return last or GENESIS_HASH


def _appended(row_hash: str) -> None:
    db.session().info[_TAIL_KEY] = (_transaction(), row_hash)


def new_event(
    action: AuditAction,
    *,
    actor: Actor = SYSTEM,
    patient_id: int | None = None,
    object_type: str = "",
    object_id: int | None = None,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    detail: str = "",
    occurred_at: datetime | None = None,
) -> AuditEvent:
    """An event as it will be appended, not yet chained or in the session."""
    if actor.patient_source:
        # The patient is the actor: said in the row itself, so the hash covers it.
        detail = f"actor: patient ({actor.patient_source})" + (f"; {detail}" if detail else "")
    return AuditEvent(
        occurred_at=occurred_at or utcnow(),
        action=action,
        outcome=outcome,
        user_id=actor.user_id,
        on_behalf_of_id=actor.on_behalf_of_id,
        patient_id=patient_id,
        object_type=_clean(object_type, 40),
        object_id=object_id,
        endpoint=_clean(actor.endpoint, 120),
        client_address=_clean(actor.client_address, 64),
        detail=_clean(detail, 500),
    )


def _chain(events: list[AuditEvent]) -> None:
    """Give each event its place in the chain, in order, after the chain's last row."""
    _lock_chain()
    previous = _last_hash()
    for event in events:
        event.prev_hash = previous
        event.row_hash = previous = chained_hash(previous, event)
    _appended(previous)


def record_event(action: AuditAction, **fields: Any) -> AuditEvent:
    """Append one event to the trail in the caller's transaction (the caller commits).

    Print and export views call this with AuditAction.PRINT / EXPORT; reads, searches and
    changes of patient data are recorded for them by therapy.audit.events. The fields are
    new_event's.
    """
    event = new_event(action, **fields)
    _chain([event])
    db.session.add(event)
    db.session.flush()
    return event


_COLUMNS = tuple(c.key for c in AuditEvent.__table__.columns if c.key != "id")


def append_events(events: list[AuditEvent]) -> None:
    """Append several events in one statement (a save's reads and changes), chained in the
    order given; the rows get their ids in that order, as the chain is walked by id."""
    if not events:
        return
    _chain(events)
    rows = [{key: getattr(event, key) for key in _COLUMNS} for event in events]
    db.session.execute(insert(AuditEvent.__table__), rows)


def verify_chain(batch: int = 1000) -> ChainReport:
    """Walk the whole trail in order and report the first row that breaks the chain."""
    expected_prev = GENESIS_HASH
    rows = 0
    last_id = 0
    # A row whose detail a destruction blanked is checked against its redacted hash.
    redactions = RedactionCheck.load()
    while True:
        # Keyset batches: bounded memory without a server-side cursor left open on return.
        # Plain rows, not ORM objects: the caller's session and objects are left alone.
        table = AuditEvent.__table__
        events = db.session.execute(
            select(table).where(table.c.id > last_id).order_by(table.c.id).limit(batch)
        ).all()
        if not events:
            unsealed = redactions.unsealed()
            if unsealed is not None:
                return ChainReport(
                    rows, unsealed, "was redacted without a destruction that accounts for it"
                )
            return ChainReport(rows)
        for event in events:
            rows += 1
            if event.prev_hash != expected_prev:
                return ChainReport(
                    rows,
                    event.id,
                    "does not follow the row before it (a row was removed or inserted)",
                )
            if chained_hash(event.prev_hash, event) != redactions.expected_hash(event):
                return ChainReport(rows, event.id, "does not match its hash (the row was altered)")
            redactions.note(event)
            expected_prev = event.row_hash
            last_id = event.id


def head_hash() -> str:
    """The newest row's hash: note it somewhere else to detect a rewrite of the whole tail."""
    return _last_hash()
