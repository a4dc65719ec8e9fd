"""`flask backup` and `flask restore --verify`: a backup proves it restores."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

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
