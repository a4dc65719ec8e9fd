"""Fixtures: a fresh app and database per test, on SQLite or PostgreSQL (`--db`)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from tests import figures

# Before the app is imported: the suite's accounts are hashed with argon2's cheapest
# parameters (see therapy/services/accounts/passwords.py); tests/unit/test_passwords.py
# proves that production cannot get them.
os.environ["THERAPY_ENV"] = "test"
os.environ["THERAPY_TEST_CHEAP_HASHING"] = "1"

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "test-secret-key-that-is-long-enough-0123456789"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default=os.environ.get("TEST_DB", "sqlite"),
        help="Database backend to run the suite on.",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Compile a catalogue whose .po is newer than its .mo (as `make install` does), so the
    suite reads the translations as they are written now."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[1] / "therapy" / "translations"
    for po in root.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=po.parent.parent.name)
        # Written aside and moved into place: the other database's suite may be reading it.
        partial = mo.with_suffix(f".mo.{os.getpid()}")
        with partial.open("wb") as handle:
            write_mo(handle, catalogue)
        os.replace(partial, mo)


def pytest_report_header(config: pytest.Config) -> str:
    return f"database: {config.getoption('--db')}"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    lines = figures.lines()
    if lines:
        terminalreporter.section(f"figures ({config.getoption('--db')})")
        for line in lines:
            terminalreporter.write_line(line)


def postgres_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


def _make_app(database_url: str, instance: Path, **settings: object) -> Flask:
    os.environ["THERAPY_ENV"] = "test"
    os.environ["INSTANCE_PATH"] = str(instance)
    from therapy import create_app

    return create_app(
        {
            "TESTING": True,
            "THERAPY_ENV": "test",
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_RECORD_QUERIES": True,
            "SERVER_NAME": "localhost",
            # Every request writes its activity, so query counts do not depend on the clock.
            "SESSION_TOUCH_SECONDS": 0,
            # The suite reads English unless a test asks for Dutch (a new practice is Dutch).
            "BABEL_DEFAULT_LOCALE": "en_GB",
            **settings,
        }
    )


def _upgrade(app: Flask) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        from therapy.extensions import db

        db.engine.dispose()


def reset_postgres_schema(url: str) -> None:
    """Empty the test database completely (it is the suite's own)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at migration head: a SQLite file to copy, or the PostgreSQL test database."""
    instance = tmp_path_factory.mktemp("instance")
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.db"
        _upgrade(_make_app(f"sqlite:///{path}", instance))
        with sqlite3.connect(path) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return str(path)
    url = postgres_url()
    reset_postgres_schema(url)
    _upgrade(_make_app(url, instance))
    return url


def _truncate_postgres(url: str) -> None:
    """Empty every table and restart every id sequence, as TRUNCATE ... RESTART IDENTITY would.

    DELETE on the few rows a test leaves is some twenty times faster than TRUNCATE of every
    table; `session_replication_role = replica` switches triggers (the audit trail's
    append-only guard, foreign-key checks) off for this one transaction of the suite's own
    database.
    """
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(
            text(
                "SELECT tablename FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )
        ).scalars()
        statements = "; ".join(f'DELETE FROM "{name}"' for name in tables)  # noqa: S608 (names from pg_tables)
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        if statements:
            connection.exec_driver_sql(statements)
        connection.execute(
            text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = 'public'"
            )
        )
    engine.dispose()


@pytest.fixture
def database_url(backend: str, migrated_template: str, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database for one test."""
    if backend == "sqlite":
        path = tmp_path / "therapy.db"
        shutil.copyfile(migrated_template, path)
        yield f"sqlite:///{path}"
    else:
        _truncate_postgres(migrated_template)
        yield migrated_template


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The test itself holds an app context for its set-up; without this, requests would share
    that context's `g` and database session, so one client's login (cached in `g`) and stale
    ORM objects would leak into the next request. The test's own transaction is committed
    first: on SQLite every transaction holds the write lock (BEGIN IMMEDIATE), as it would
    between two web workers.
    """

    def open(self, *args, **kwargs):
        from therapy.extensions import db

        db.session.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    application = _make_app(database_url, tmp_path / "instance")
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        from therapy.extensions import db

        db.session.remove()
        db.engine.dispose()


class _InFlight:
    """The app as the live server calls it, counting the requests still running."""

    def __init__(self, app: Flask) -> None:
        self.app, self.running = app, 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            self.running += 1
        try:
            body = self.app(environ, start_response)
            try:
                return list(body)  # done when the body is made
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            with self.changed:
                self.running -= 1
                self.changed.notify_all()

    def wait_idle(self, timeout: float) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.running == 0, timeout=timeout)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served on a free loopback port, on the test's own database."""
    # The test's own transaction would hold SQLite's write lock while the browser saves; a
    # test must not touch expired ORM objects while the browser works either (that opens one).
    from therapy.extensions import db

    db.session.commit()
    served = _InFlight(app)
    server = make_server("127.0.0.1", 0, served, threaded=True)
    app.config["SERVER_NAME"] = f"127.0.0.1:{server.server_port}"  # url_for in tests
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        # A request the browser sent last may still be running: let it give its database
        # connection back before the app's engine is disposed (or it is left open).
        served.wait_idle(timeout=5)
        app.config["SERVER_NAME"] = "localhost"


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_PATTERN.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def totp_code_for(user) -> str:
    """A code the account's authenticator would show now and that was not used yet.

    Each code is accepted once; when every code of the current window was used (a test that
    logs the same account in many times within 30 s), the record of used codes is reset.
    """
    import pyotp
    from sqlalchemy import select, update

    from therapy.extensions import db
    from therapy.models import User
    from therapy.services.accounts.two_factor import STEP_SECONDS, VALID_WINDOW, decrypt_secret

    secret_token, last_step = db.session.execute(
        select(User.totp_secret_encrypted, User.totp_last_step).where(User.id == user.id)
    ).one()
    assert secret_token, "the account has no authenticator (make_user(enrolled=True))"
    totp = pyotp.TOTP(decrypt_secret(secret_token))
    now = int(time.time()) // STEP_SECONDS
    for step in range(now - VALID_WINDOW + 1, now + VALID_WINDOW + 1):
        if last_step is None or step > last_step:
            return totp.at(step * STEP_SECONDS)
    db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
    db.session.commit()
    return totp.at(now * STEP_SECONDS)


def login_password_only(c: FlaskClient, user, password: str) -> FlaskClient:
    """The first step only: the client holds a password-only (half-logged-in) session."""
    page = c.get("/login")
    response = c.post(
        "/login",
        data={"csrf_token": csrf_token_from(page.text), "email": user.email, "password": password},
    )
    assert response.status_code == 302, response.text
    return c


@pytest.fixture
def login(client: FlaskClient):
    """Log a user in through the real login form and second step; returns the client."""
    from tests.factories import PASSWORD

    def _login(user, password: str = PASSWORD, test_client: FlaskClient | None = None):
        c = login_password_only(test_client or client, user, password)
        page = c.get("/login/code")
        response = c.post(
            "/login/code",
            data={"csrf_token": csrf_token_from(page.text), "code": totp_code_for(user)},
        )
        assert response.status_code == 302, response.text
        return c

    return _login
