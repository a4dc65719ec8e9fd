"""Redacted audit details: how the trail stays verifiable when a destroyed patient's text goes.

What the trail keeps of a destroyed record (SECURITY.md promises 9 and 13):

- Audit rows name a patient only by the record's internal id (`patient_id`, no foreign key)
  and objects by table and id. Destroying the record deletes the rows those ids pointed at,
  never an audit row, and each row's hash covers its own columns and the previous row's hash,
  never the rows it refers to: the chain stays valid as it was. An id identifies nobody once
  its record is gone (and is never given to another patient: AUTOINCREMENT on SQLite).
- One kind of detail holds text that can identify a person by itself: a caseload search keeps
  the query typed ("3 found for: jansen"). When a record is destroyed, the query of every
  search that could have looked for that patient is blanked ("3 found for: "); who searched,
  when, and how many were found stay (therapy.audit.destruction chooses the searches).
- Blanking changes the row, so its stored `row_hash` no longer matches its content. That hash
  is kept: the next row's `prev_hash` still points at it, so every link and every checkpoint
  of the chain's head stays valid. An `audit_redaction` row records what the redacted row
  hashes to now (SHA-256 of its `prev_hash` and its content as it reads now), and
  verification checks the row against that, so every other column stays tamper-evident.
- The redactions are sealed in the chain itself: the destruction's own event (a DELETE of the
  patient) carries a SHA-256 over its redactions. A redaction that no destruction event seals,
  or one that differs from what was sealed, breaks verification at the redacted row.
- The database allows blanking only for a row named in `audit_redaction` by a destruction being
  carried out, and nothing else of an audit row may change (migration i17_record_destruction).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from therapy.extensions import db
from therapy.models import AuditRedaction
from therapy.models.enums import AuditAction

# The destruction event: a DELETE of the patient whose detail seals its redactions.
DESTRUCTION_OBJECT_TYPE = "patient"
_SEALED = re.compile(r"destruction (\d+): (\d+) audit details redacted, sha256 ([0-9a-f]{64})")


def seal(redactions: Iterable[tuple[int, str]]) -> str:
    """SHA-256 over a destruction's redactions: (event id, redacted hash), in id order."""
    lines = "".join(f"{event_id}:{digest}\n" for event_id, digest in sorted(redactions))
    return hashlib.sha256(lines.encode("ascii")).hexdigest()


def destruction_detail(destruction_id: int, redactions: list[tuple[int, str]]) -> str:
    """The detail of a destruction's event: which request, and the seal of its redactions."""
    return (
        f"destruction {destruction_id}: {len(redactions)} audit details redacted, "
        f"sha256 {seal(redactions)}"
    )


@dataclass
class RedactionCheck:
    """What verification needs to know about redactions while it walks the chain."""

    # Event id -> (the destruction that redacted it, what the row hashes to now).
    redacted: dict[int, tuple[int, str]]
    # Destruction id -> the seal its event carries (the first one found counts).
    sealed: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> RedactionCheck:
        """Every redaction on record (a handful per destruction: one query)."""
        rows = db.session.execute(
            select(
                AuditRedaction.event_id,
                AuditRedaction.destruction_id,
                AuditRedaction.redacted_hash,
            )
        ).all()
        return cls({row.event_id: (row.destruction_id, row.redacted_hash) for row in rows})

    def expected_hash(self, event: Any) -> str:
        """The hash the row's content must have now: its own, or its redacted one."""
        found = self.redacted.get(event.id)
        return found[1] if found else str(event.row_hash)

    def note(self, event: Any) -> None:
        """Remember the seal of a destruction's event met on the walk."""
        if event.action != AuditAction.DELETE or event.object_type != DESTRUCTION_OBJECT_TYPE:
            return
        match = _SEALED.fullmatch(event.detail or "")
        if match:
            self.sealed.setdefault(int(match[1]), match[3])

    def unsealed(self) -> int | None:
        """The first redacted row whose destruction does not seal exactly its redactions."""
        by_destruction: dict[int, list[tuple[int, str]]] = {}
        for event_id, (destruction_id, digest) in self.redacted.items():
            by_destruction.setdefault(destruction_id, []).append((event_id, digest))
        broken = [
            min(event_id for event_id, _digest in redactions)
            for destruction_id, redactions in by_destruction.items()
            if self.sealed.get(destruction_id) != seal(redactions)
        ]
        return min(broken) if broken else None
