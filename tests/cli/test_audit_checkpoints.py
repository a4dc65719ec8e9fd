"""The audit chain's head is anchored by signed checkpoints outside the database (finding 12).

Deleting the newest rows left a shorter chain that `audit verify` called intact.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from sqlalchemy import text

from therapy.audit.chain import record_event
from therapy.extensions import db
from therapy.models.enums import AuditAction


def _delete_newest(backend: str, count: int) -> None:
    newest = "SELECT id FROM audit_event ORDER BY id DESC LIMIT :n"
    ids = db.session.execute(text(newest), {"n": count}).scalars().all()
    delete = text("DELETE FROM audit_event WHERE id = :id")
    if backend == "postgresql":
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
        for row_id in ids:
            db.session.execute(delete, {"id": row_id})
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
    else:
        db.session.execute(text("DROP TRIGGER audit_event_no_delete"))
        for row_id in ids:
            db.session.execute(delete, {"id": row_id})
    db.session.commit()


def _events(n: int) -> None:
    for number in range(n):
        record_event(AuditAction.READ, patient_id=number + 1)
    db.session.commit()


def test_removing_the_newest_rows_is_detected_after_a_checkpoint(app: Flask, backend: str) -> None:
    runner = app.test_cli_runner()
    _events(4)
    written = runner.invoke(args=["audit", "checkpoint"])
    assert written.exit_code == 0 and "4 rows" in written.output
    _events(2)  # newer than the checkpoint: may come and go without one
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    assert "chain intact, 6 rows" in intact.output and "1 signed checkpoints match" in intact.output

    _delete_newest(backend, 3)  # back past the checkpoint: the remaining chain is intact
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert "newest rows were removed" in broken.output


def test_a_forged_checkpoint_is_refused(app: Flask) -> None:
    runner = app.test_cli_runner()
    _events(3)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    path = Path(app.config["AUDIT_CHECKPOINT_DIR"]) / "checkpoints.jsonl"
    line = json.loads(path.read_text())
    # Someone who deleted rows rewrites the checkpoint to the new, shorter head.
    line["rows"], line["last_id"] = 2, line["last_id"] - 1
    path.write_text(json.dumps(line) + "\n")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "not signed with the key" in result.output


def test_every_backup_writes_a_checkpoint(app: Flask, tmp_path: Path) -> None:
    _events(2)
    assert app.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path)]).exit_code == 0
    lines = (Path(app.config["AUDIT_CHECKPOINT_DIR"]) / "checkpoints.jsonl").read_text()
    assert json.loads(lines.splitlines()[-1])["rows"] == 2
