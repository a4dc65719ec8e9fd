"""Migrations: `upgrade head` builds exactly the models' schema, and down/up round-trips."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from tests.conftest import _make_app, postgres_url
from therapy.extensions import db


@pytest.fixture
def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A brand-new, empty database (a scratch PostgreSQL database is created and dropped)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    server = make_url(postgres_url())
    name = f"migration_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _schema_differences(app: Flask) -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, db.metadata))


def test_upgrade_head_produces_exactly_the_models_schema(empty_database: str, tmp_path: Path):
    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade()
        assert _schema_differences(app) == []
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        db.engine.dispose()


def test_downgrade_to_base_and_upgrade_again(empty_database: str, tmp_path: Path) -> None:
    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _schema_differences(app) == []
        db.engine.dispose()


def _row_counts() -> dict[str, int]:
    names = [name for name in inspect(db.engine).get_table_names() if name != "alembic_version"]
    with db.engine.connect() as connection:
        return {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()  # noqa: S608
            for name in names
        }


def test_every_migration_upgrades_a_populated_database_without_losing_rows(
    empty_database: str, tmp_path: Path
) -> None:
    from alembic.script import ScriptDirectory

    from tests import figures
    from tests.factories import populate_every_table

    app = _make_app(empty_database, tmp_path / "instance")
    with app.app_context():
        upgrade()
        populate_every_table()
        db.session.commit()
        assert all(count > 0 for count in _row_counts().values())
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        later = [rev for rev in script.walk_revisions() if rev.down_revision is not None]
        lost: list[str] = []
        for revision in later:  # newest first: each step goes one migration further back
            downgrade(revision=str(revision.down_revision))
            before = _row_counts()
            upgrade()
            after = _row_counts()
            lost += [
                f"{revision.revision}: {name} {count} -> {after.get(name)}"
                for name, count in before.items()
                if after.get(name) != count
            ]
            downgrade(revision=str(revision.down_revision))
        db.session.remove()
        db.engine.dispose()
    assert not lost, lost
    figures.report(
        "migrations",
        f"migrations: {len(later)} on a populated database, {len(lost)} rows lost",
    )
