"""Signed checkpoints of the audit chain's head, kept outside the database (promise 9).

The hash chain shows a changed or removed row anywhere but at the end: deleting the newest
rows leaves a shorter chain that is still intact. A checkpoint records the newest row (its
id, its hash and the number of rows up to it), signed with HMAC-SHA-256 under a key that is
not in the database (AUDIT_CHECKPOINT_KEY), in a file that is not in the database either
(AUDIT_CHECKPOINT_DIR). `flask audit verify` then asks that every checkpoint's row is still
there with the same hash: a trail cut back past a checkpoint is detected. Checkpoints are
written at every backup, by `flask audit checkpoint` (for cron), and at a login when the
last one is older than AUDIT_CHECKPOINT_SECONDS.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from therapy.extensions import db
from therapy.models import AuditEvent
from therapy.models.types import utcnow

FILE_NAME = "checkpoints.jsonl"


class CheckpointError(RuntimeError):
    """Checkpoints cannot be written or read as configured; the message says why."""


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain at one moment: the newest row and how many rows led to it."""

    last_id: int
    head: str
    rows: int
    at: str

    def payload(self) -> bytes:
        return f"{self.last_id}|{self.head}|{self.rows}|{self.at}".encode()


def _key() -> bytes:
    key = current_app.config.get("AUDIT_CHECKPOINT_KEY")
    if not key:
        raise CheckpointError(
            "AUDIT_CHECKPOINT_KEY is not set: the audit trail's head cannot be anchored. Set it "
            "to a long random value kept apart from the database and its backups."
        )
    return str(key).encode("utf-8")


def _file() -> Path:
    return Path(str(current_app.config["AUDIT_CHECKPOINT_DIR"])) / FILE_NAME


def _sign(checkpoint: Checkpoint) -> str:
    return hmac.new(_key(), checkpoint.payload(), hashlib.sha256).hexdigest()


def current_head() -> Checkpoint | None:
    """The chain's newest committed row, or None for an empty trail."""
    table = AuditEvent.__table__
    newest = db.session.execute(
        select(table.c.id, table.c.row_hash).order_by(table.c.id.desc()).limit(1)
    ).first()
    if newest is None:
        return None
    rows = int(db.session.scalar(select(func.count()).select_from(table)) or 0)
    return Checkpoint(newest.id, newest.row_hash, rows, utcnow().isoformat())


def write_checkpoint() -> Checkpoint | None:
    """Append a signed checkpoint of the current head (nothing for an empty trail)."""
    checkpoint = current_head()
    if checkpoint is None:
        return None
    line = json.dumps({**asdict(checkpoint), "mac": _sign(checkpoint)}, sort_keys=True)
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return checkpoint


def read_checkpoints() -> list[Checkpoint]:
    """Every checkpoint written, oldest first; a forged or damaged line is an error."""
    path = _file()
    if not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            data = json.loads(line)
            mac = data.pop("mac")
            checkpoint = Checkpoint(**data)
        except (ValueError, TypeError, KeyError) as error:
            raise CheckpointError(f"checkpoint line {number} cannot be read") from error
        if not hmac.compare_digest(mac, _sign(checkpoint)):
            raise CheckpointError(f"checkpoint line {number} is not signed with the key")
        found.append(checkpoint)
    return found


def checkpoint_due(seconds: int) -> bool:
    """True when no checkpoint was written in the last `seconds` (or none at all)."""
    path = _file()
    if not path.exists():
        return True
    age = utcnow().timestamp() - path.stat().st_mtime
    return age >= seconds


def check_against_checkpoints() -> str | None:
    """None when every checkpoint's row is still in the trail with its hash; else the problem."""
    table = AuditEvent.__table__
    checkpoints = read_checkpoints()
    for checkpoint in checkpoints:
        stored = db.session.scalar(select(table.c.row_hash).where(table.c.id == checkpoint.last_id))
        if stored is None:
            return (
                f"row {checkpoint.last_id}, the head at the checkpoint of {checkpoint.at}, is "
                "missing: the newest rows were removed"
            )
        if stored != checkpoint.head:
            return f"row {checkpoint.last_id} lost the hash it had at {checkpoint.at}"
        earlier = int(
            db.session.scalar(
                select(func.count()).select_from(table).where(table.c.id <= checkpoint.last_id)
            )
            or 0
        )
        if earlier != checkpoint.rows:
            return f"the trail up to row {checkpoint.last_id} no longer has {checkpoint.rows} rows"
    return None


def anchor_audit_head() -> None:
    """At a login: a checkpoint when the last is older than AUDIT_CHECKPOINT_SECONDS.

    Skipped without a key (production cannot start without one; a test or script may set it
    to None, and `flask audit verify` says so), so a missing key never stops a login.
    """
    if not current_app.config.get("AUDIT_CHECKPOINT_KEY"):
        return
    if checkpoint_due(int(current_app.config["AUDIT_CHECKPOINT_SECONDS"])):
        write_checkpoint()
