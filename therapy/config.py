"""Settings read from the environment, with safe local defaults and a hard stop in production."""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = PROJECT_ROOT / "templates"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
DEFAULT_INSTANCE_DIR = PROJECT_ROOT / "instance"

# Environments in which a generated secret key is acceptable: a developer's machine and tests.
LOCAL_ENVIRONMENTS = frozenset({"development", "local", "test"})


class ConfigError(RuntimeError):
    """The environment does not describe a deployment the app can safely start in."""


@dataclass(frozen=True)
class Environment:
    """The environment variables the app reads, so tests can pass their own."""

    values: dict[str, str]

    def get(self, name: str, default: str | None = None) -> str | None:
        """Return one variable, treating an empty string as unset."""
        value = self.values.get(name)
        return value if value else default


def _generated_key_file(instance_dir: Path, name: str, make: Callable[[], str]) -> str:
    """A key kept in instance/ for local use, created readable by the owner only.

    The workers of one server start at the same moment: each writes its own draft and links it
    into place, which never replaces a key already there, so the key file is complete before
    anyone can read it and every worker reads the same key, the first one written.
    """
    key_file = instance_dir / name
    if not key_file.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        draft = instance_dir / f".{name}.{os.getpid()}.{threading.get_ident()}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(make())
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass  # another worker was first: its key is the server's
        finally:
            draft.unlink()
    return key_file.read_text(encoding="utf-8").strip()


def _secret_key(env: Environment, app_env: str, instance_dir: Path) -> str:
    """Use SECRET_KEY, or outside production keep a generated one in instance/."""
    configured = env.get("SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long.")
        return configured
    if app_env not in LOCAL_ENVIRONMENTS:
        raise ConfigError(
            "SECRET_KEY is not set. Outside local use the app refuses to start without one: "
            "set SECRET_KEY to a long random value (python -c 'import secrets; "
            "print(secrets.token_hex(32))')."
        )
    # The key signs every session cookie.
    return _generated_key_file(instance_dir, "secret_key", lambda: secrets.token_hex(32))


def _totp_key(env: Environment, app_env: str, instance_dir: Path) -> str:
    """The key that encrypts TOTP secrets: never in the database it protects.

    TOTP_ENCRYPTION_KEY holds one or more Fernet keys separated by commas (the first
    encrypts, all decrypt, so a key can be rotated). Outside production a generated key is
    kept in instance/totp_key.
    """
    configured = env.get("TOTP_ENCRYPTION_KEY")
    if configured:
        for key in configured.split(","):
            try:
                Fernet(key.strip().encode("ascii"))
            except (ValueError, UnicodeEncodeError) as error:
                raise ConfigError(
                    "TOTP_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded "
                    "bytes each), separated by commas."
                ) from error
        return configured
    if app_env not in LOCAL_ENVIRONMENTS:
        raise ConfigError(
            "TOTP_ENCRYPTION_KEY is not set. Outside local use the app refuses to start without "
            "it: set it to a key from python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())' and keep it out of the database's backups."
        )
    return _generated_key_file(
        instance_dir, "totp_key", lambda: Fernet.generate_key().decode("ascii")
    )


def _engine_options(
    database_url: str, env: Environment, busy_timeout_ms: int = 15_000
) -> dict[str, object]:
    """Connection settings per backend: pooling for PostgreSQL, lock waits for SQLite."""
    if database_url.startswith("sqlite"):
        # sqlite3's timeout is SQLite's busy timeout: how long a writer waits for the lock.
        return {"connect_args": {"timeout": busy_timeout_ms / 1000}}
    return {
        "pool_pre_ping": True,
        "pool_size": int(env.get("DB_POOL_SIZE", "5") or 5),
        "max_overflow": int(env.get("DB_MAX_OVERFLOW", "5") or 5),
        "pool_recycle": int(env.get("DB_POOL_RECYCLE", "1800") or 1800),
        "pool_timeout": 10,
    }


def _checkpoint_key(env: Environment, app_env: str, instance_dir: Path) -> str:
    """AUDIT_CHECKPOINT_KEY, or outside production a generated one in instance/.

    Production refuses to start without it: a trail whose head no checkpoint anchors lets the
    newest rows be deleted unseen (finding 12), so no server runs that way by oversight.
    """
    configured = env.get("AUDIT_CHECKPOINT_KEY")
    if configured:
        if len(configured) < 32:
            raise ConfigError("AUDIT_CHECKPOINT_KEY must be at least 32 characters long.")
        return configured
    if app_env not in LOCAL_ENVIRONMENTS:
        raise ConfigError(
            "AUDIT_CHECKPOINT_KEY is not set. Outside local use the app refuses to start "
            "without it: it signs the checkpoints that anchor the audit trail's head. Set it to "
            "a long random value (python -c 'import secrets; print(secrets.token_hex(32))') and "
            "keep it apart from the database and its backups."
        )
    return _generated_key_file(instance_dir, "audit_checkpoint_key", lambda: secrets.token_hex(32))


def _count(env: Environment, name: str) -> int:
    """A non-negative whole number from the environment (0 when unset)."""
    raw = env.get(name, "0") or "0"
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number of 0 or more, not {raw!r}.")
    return int(raw)


def load_config(
    environ: dict[str, str] | None = None, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Build the Flask config mapping from environment variables, then apply overrides."""
    env = Environment(dict(os.environ if environ is None else environ))
    app_env = env.get("THERAPY_ENV", "development") or "development"
    instance_dir = Path(env.get("INSTANCE_PATH", str(DEFAULT_INSTANCE_DIR)) or DEFAULT_INSTANCE_DIR)
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'therapy.db'}"
    if database_url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; the bare scheme would ask for psycopg2.
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    https = env.get("HTTPS", "1" if app_env not in LOCAL_ENVIRONMENTS else "0") == "1"
    settings: dict[str, Any] = {
        "THERAPY_ENV": app_env,
        "INSTANCE_PATH": str(instance_dir),
        "SECRET_KEY": (overrides or {}).get("SECRET_KEY")
        or _secret_key(env, app_env, instance_dir),
        "TOTP_ENCRYPTION_KEY": (overrides or {}).get("TOTP_ENCRYPTION_KEY")
        or _totp_key(env, app_env, instance_dir),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url, env),
        "SQLALCHEMY_RECORD_QUERIES": app_env == "test",
        # How long a SQLite writer waits for another's lock before its request is retried.
        "SQLITE_BUSY_TIMEOUT_MS": 15_000,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "WTF_CSRF_SSL_STRICT": https,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_NAME": "therapy_session",
        "REMEMBER_COOKIE_DURATION": 0,
        # Server-side login sessions (SECURITY.md promise 3), in seconds: idle for the lock
        # time, the screen locks (the password unlocks it); idle for the idle timeout, or
        # after the absolute timeout whatever happens, the login ends.
        "SESSION_LOCK_SECONDS": 15 * 60,
        "SESSION_IDLE_TIMEOUT": 2 * 3600,
        "SESSION_ABSOLUTE_TIMEOUT": 12 * 3600,
        # A password-only login must give its second factor within this time.
        "SESSION_SECOND_STEP_TIMEOUT": 600,
        # Activity is written to the session at most this often (seconds); see login_sessions.
        "SESSION_TOUCH_SECONDS": 20,
        # Clinical forms keep a server-side draft of what is typed this often (seconds).
        "DRAFT_AUTOSAVE_SECONDS": 30,
        "AUDIT_PAGE_SIZE": 50,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        # Long notes must never be rejected for size: text limits sit far below these.
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": env.get("DEFAULT_LOCALE", "nl"),
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "therapy" / "translations"),
        "BABEL_DEFAULT_TIMEZONE": env.get("PRACTICE_TIMEZONE", "Europe/Amsterdam"),
        "CASELOAD_PAGE_SIZE": 25,
        # Practice exports (therapy.exports): the absolute base of the FHIR Bundle's fullUrls,
        # worker processes for the FHIR NDJSON (0: one per core), and whether a job runs in
        # the request itself (tests) instead of a process of its own.
        "FHIR_BASE_URL": env.get("FHIR_BASE_URL", "https://psychosomatic-therapy.invalid/fhir"),
        "EXPORT_WORKERS": int(env.get("EXPORT_WORKERS", "0") or 0),
        "EXPORT_RUN_INLINE": env.get("EXPORT_RUN_INLINE", "1" if app_env == "test" else "0") == "1",
        # Proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed (NEN 7513
        # asks for the client's address). 0: a direct connection; no header is ever trusted.
        "TRUSTED_PROXIES": _count(env, "TRUSTED_PROXIES"),
        # Signed checkpoints of the audit chain's head (therapy.audit.checkpoints): the key and
        # the folder are outside the database; a checkpoint at most this often at a login.
        "AUDIT_CHECKPOINT_KEY": _checkpoint_key(env, app_env, instance_dir),
        "AUDIT_CHECKPOINT_DIR": env.get(
            "AUDIT_CHECKPOINT_DIR", str(instance_dir / "audit-checkpoints")
        ),
        "AUDIT_CHECKPOINT_SECONDS": _count(env, "AUDIT_CHECKPOINT_SECONDS") or 3600,
    }
    settings.update(overrides or {})
    if "SQLALCHEMY_ENGINE_OPTIONS" not in (overrides or {}):
        # Derived from the final URL, which an override may have changed.
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(
            str(settings["SQLALCHEMY_DATABASE_URI"]), env, int(settings["SQLITE_BUSY_TIMEOUT_MS"])
        )
    return settings
