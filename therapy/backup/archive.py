"""Backups that prove themselves: a consistent copy plus a manifest to verify a restore against.

SQLite is copied with its online backup API (never a file copy of a live database);
PostgreSQL with pg_dump inside an exported snapshot, so the manifest describes exactly the
data that was dumped.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess  # (pg_dump and pg_restore, never through a shell) # nosec B404
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import URL, Engine, MetaData, create_engine, make_url, text

from therapy.backup.checksums import TableFingerprint, fingerprint_tables
from therapy.backup.schema import describe_schema, schema_differences

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite"
POSTGRES_FILE = "database.dump"


class BackupError(RuntimeError):
    """A backup or restore could not be made or did not verify."""


@dataclass(frozen=True)
class Verification:
    """The outcome of restoring a backup into a scratch database and comparing."""

    tables: int
    matching: int
    mismatches: list[str]

    @property
    def ok(self) -> bool:
        """True when every table restored with the same rows and content."""
        return not self.mismatches and self.tables == self.matching


def _libpq_env(url: URL) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore as environment (keeps passwords off argv)."""
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
    ):
        if value:
            env[key] = str(value)
    return env


def _run(command: list[str], url: URL) -> None:
    executable = shutil.which(command[0])
    if executable is None:
        raise BackupError(f"{command[0]} is not installed")
    # A fixed argument list (no shell) naming the PostgreSQL tools; the URL goes via env.
    done = subprocess.run(  # noqa: S603 # nosec B603
        [executable, *command[1:]], env=_libpq_env(url), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _write_manifest(
    folder: Path, backend: str, tables: dict[str, TableFingerprint], schema: dict[str, object]
) -> None:
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "backend": backend,
        "tables": {name: asdict(fingerprint) for name, fingerprint in tables.items()},
        "schema": schema,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))


def create_backup(database_url: str, metadata: MetaData, destination: Path) -> Path:
    """Write a backup folder (database copy + manifest) under destination and return it."""
    url = make_url(database_url)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = destination / f"therapy-{stamp}"
    folder.mkdir(parents=True, mode=0o700)
    if url.get_backend_name() == "sqlite":
        target = folder / SQLITE_FILE
        source = sqlite3.connect(url.database or "")
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        tables, schema = _fingerprint_sqlite(target, metadata)
        _write_manifest(folder, "sqlite", tables, schema)
    else:
        engine = create_engine(url, isolation_level="REPEATABLE READ")
        try:
            with engine.connect() as connection:
                snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                _run(
                    [
                        "pg_dump",
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        "--no-owner",
                        f"--file={folder / POSTGRES_FILE}",
                    ],
                    url,
                )
                tables = fingerprint_tables(connection, metadata)
                schema = describe_schema(connection)
                connection.rollback()
        finally:
            engine.dispose()
        _write_manifest(folder, "postgresql", tables, schema)
    os.chmod(folder / MANIFEST, 0o600)
    return folder


def _fingerprint_sqlite(
    path: Path, metadata: MetaData
) -> tuple[dict[str, TableFingerprint], dict[str, object]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return fingerprint_tables(connection, metadata), describe_schema(connection)
    finally:
        engine.dispose()


@contextmanager
def _scratch_postgres(server_url: URL) -> Iterator[URL]:
    name = f"therapy_restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        _database_ddl(admin, "CREATE DATABASE {}", name)
        yield server_url.set(database=name)
    finally:
        _database_ddl(admin, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
        admin.dispose()


def _database_ddl(admin: Engine, template: str, name: str) -> None:
    # A database name cannot be a bound parameter; psycopg quotes it as an identifier.
    # (Imported here: a worker on SQLite need not carry the PostgreSQL driver, 9 MB.)
    from psycopg import sql

    with admin.connect() as connection:
        driver = connection.connection.driver_connection
        if driver is None:
            raise BackupError("the PostgreSQL connection is closed")
        driver.execute(sql.SQL(template).format(sql.Identifier(name)))


def verify_backup(folder: Path, metadata: MetaData, server_url: str | None = None) -> Verification:
    """Restore a backup into a scratch database and compare every table with the manifest."""
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{folder} has no {MANIFEST}")
    manifest = json.loads(manifest_path.read_text())
    expected = {name: TableFingerprint(**value) for name, value in manifest["tables"].items()}
    if manifest["backend"] == "sqlite":
        with tempfile.TemporaryDirectory() as scratch:
            restored = Path(scratch) / "restored.sqlite"
            shutil.copyfile(folder / SQLITE_FILE, restored)
            actual, schema = _fingerprint_sqlite(restored, metadata)
    else:
        if server_url is None:
            raise BackupError("a PostgreSQL backup needs a server to restore into")
        with _scratch_postgres(make_url(server_url)) as scratch_url:
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    f"--dbname={scratch_url.database}",
                    str(folder / POSTGRES_FILE),
                ],
                scratch_url,
            )
            engine = create_engine(scratch_url)
            try:
                with engine.connect() as connection:
                    actual = fingerprint_tables(connection, metadata)
                    schema = describe_schema(connection)
            finally:
                engine.dispose()
    mismatches = [
        f"{name}: expected {expected[name].rows} rows, restored "
        f"{actual[name].rows if name in actual else 'no table'}"
        for name in sorted(expected)
        if actual.get(name) != expected[name]
    ]
    matching = sum(1 for name in expected if actual.get(name) == expected[name])
    if "schema" in manifest:
        mismatches += schema_differences(manifest["schema"], schema)
    else:
        mismatches.append("schema: the manifest records none (a backup from before schemas)")
    return Verification(tables=len(expected), matching=matching, mismatches=mismatches)
