"""Configuration comes from the environment and refuses unsafe production settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from therapy.config import ConfigError, load_config


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"THERAPY_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="32"):
        load_config(
            {"THERAPY_ENV": "production", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "short"}
        )


def test_local_use_generates_a_key_once_and_keeps_it_private(tmp_path: Path) -> None:
    first = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    second = load_config({"INSTANCE_PATH": str(tmp_path)})["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_default_database_is_a_sqlite_file_under_instance(tmp_path: Path) -> None:
    settings = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'therapy.db'}"


def test_postgresql_url_uses_psycopg3_and_a_pool(tmp_path: Path) -> None:
    settings = load_config(
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "postgresql://therapy@db/therapy"}
    )
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://therapy@db/therapy"
    assert settings["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_production_cookies_are_secure(tmp_path: Path) -> None:
    settings = load_config(
        {
            "THERAPY_ENV": "production",
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "k" * 40,
            "TOTP_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "AUDIT_CHECKPOINT_KEY": "a" * 40,
        }
    )
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
