"""`flask backup` and `flask restore --verify`: a backup proves it restores."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Flask

from tests import figures
from tests.factories import populate_every_table
from therapy.backup.archive import MANIFEST, SQLITE_FILE
from therapy.extensions import db


def _populate() -> None:
    populate_every_table()
    db.session.commit()


def _backup(app: Flask, output: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(output)])
    assert result.exit_code == 0, result.output
    folders = list(output.iterdir())
    assert len(folders) == 1
    return folders[0]


def test_backup_restores_with_every_table_matching(app: Flask, tmp_path: Path) -> None:
    _populate()
    folder = _backup(app, tmp_path / "backups")
    manifest = json.loads((folder / MANIFEST).read_text())
    assert set(manifest["tables"]) == set(db.metadata.tables)
    assert manifest["tables"]["therapy_session"]["rows"] == 6
    assert all(t["rows"] >= 1 for t in manifest["tables"].values())
    result = app.test_cli_runner().invoke(args=["restore", "--verify", str(folder)])
    assert result.exit_code == 0, result.output
    tables = len(db.metadata.tables)
    assert f"restore: {tables}/{tables} tables match" in result.output
    figures.report("restore", f"restore: {tables}/{tables} tables match")


def test_a_backup_that_does_not_match_its_manifest_fails_verification(
    app: Flask, tmp_path: Path, backend: str
) -> None:
    _populate()
    folder = _backup(app, tmp_path / "backups")
    if backend == "sqlite":
        copy = sqlite3.connect(folder / SQLITE_FILE)
        copy.execute("UPDATE therapy_session SET notes = 'changed after the backup'")
        copy.commit()
        copy.close()
    else:
        manifest = json.loads((folder / MANIFEST).read_text())
        manifest["tables"]["therapy_session"]["rows"] += 1
        (folder / MANIFEST).write_text(json.dumps(manifest))
    result = app.test_cli_runner().invoke(args=["restore", "--verify", str(folder)])
    assert result.exit_code != 0
    assert "mismatch: therapy_session" in result.output


def test_backup_does_not_change_the_live_database(app: Flask, tmp_path: Path) -> None:
    _populate()
    from tests.web.access import row_counts

    before = row_counts()
    _backup(app, tmp_path / "backups")
    assert row_counts() == before


def _restore(app: Flask, folder: Path):
    return app.test_cli_runner().invoke(args=["restore", "--verify", str(folder)])


def _sqlite_copy_without(folder: Path, statements: list[str]) -> None:
    copy = sqlite3.connect(folder / SQLITE_FILE)
    for statement in statements:
        copy.execute(statement)
    copy.commit()
    copy.close()


def test_a_restore_is_checked_for_its_safeguards_too(
    app: Flask, tmp_path: Path, backend: str
) -> None:
    """Finding 7: a backup without its triggers, a unique index or its migration head still
    said "22/22 tables match"."""
    _populate()
    good = _backup(app, tmp_path / "good")
    intact = _restore(app, good)
    assert intact.exit_code == 0, intact.output
    assert "triggers and migration head match" in intact.output
    manifest = json.loads((good / MANIFEST).read_text())
    triggers = {name for _table, name in manifest["schema"]["triggers"]}
    guard = "audit_event_no_update" if backend == "sqlite" else "audit_event_append_only"
    assert guard in triggers
    heads = ScriptDirectory(str(Path(__file__).resolve().parents[2] / "migrations")).get_heads()
    assert manifest["schema"]["migration_head"] == heads

    cases = {}
    if backend == "sqlite":
        copy = sqlite3.connect(good / SQLITE_FILE)
        unique_index = copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE 'CREATE UNIQUE%'"
        ).fetchone()[0]
        copy.close()
        cases = {
            "trigger audit_event_no_update": ["DROP TRIGGER audit_event_no_update"],
            "trigger document_final_no_update": ["DROP TRIGGER document_final_no_update"],
            "indexes differ": [f'DROP INDEX "{unique_index}"'],
            "migration head": ["UPDATE alembic_version SET version_num = 'i17_record_destruction'"],
        }
    for n, (expected, statements) in enumerate(cases.items()):
        folder = _backup(app, tmp_path / f"case{n}")
        _sqlite_copy_without(folder, statements)
        result = _restore(app, folder)
        assert result.exit_code != 0 and expected in result.output, (expected, result.output)
    if backend == "postgresql":
        # The dump restores what PostgreSQL had; the manifest claims safeguards it lacks.
        for n, change in enumerate(("trigger", "head")):
            folder = _backup(app, tmp_path / f"pg{n}")
            tampered = json.loads((folder / MANIFEST).read_text())
            if change == "trigger":
                tampered["schema"]["triggers"].append(["patient", "patient_guard"])
            else:
                tampered["schema"]["migration_head"] = ["i99_later"]
            (folder / MANIFEST).write_text(json.dumps(tampered))
            result = _restore(app, folder)
            assert result.exit_code != 0 and "schema:" in result.output, result.output
