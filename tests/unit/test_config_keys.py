"""Keys live outside the database: required in production, generated for local use."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from therapy import create_app
from therapy.config import ConfigError, load_config

SECRET = "s" * 40
CHECKPOINT = "c" * 40


def test_production_refuses_to_start_without_a_totp_key(tmp_path: Path) -> None:
    env = {"THERAPY_ENV": "production", "SECRET_KEY": SECRET, "INSTANCE_PATH": str(tmp_path)}
    with pytest.raises(ConfigError, match="TOTP_ENCRYPTION_KEY"):
        load_config(environ=env)
    assert not (tmp_path / "totp_key").exists()


def test_production_takes_the_key_from_the_environment(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    env = {
        "THERAPY_ENV": "production",
        "SECRET_KEY": SECRET,
        "TOTP_ENCRYPTION_KEY": key,
        "AUDIT_CHECKPOINT_KEY": CHECKPOINT,
        "INSTANCE_PATH": str(tmp_path),
    }
    assert load_config(environ=env)["TOTP_ENCRYPTION_KEY"] == key


def test_production_refuses_to_start_without_the_checkpoint_key(tmp_path: Path) -> None:
    """Finding 12: an unanchored audit trail would let its newest rows go unseen."""
    env = {
        "THERAPY_ENV": "production",
        "SECRET_KEY": SECRET,
        "TOTP_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "INSTANCE_PATH": str(tmp_path),
    }
    with pytest.raises(ConfigError, match="AUDIT_CHECKPOINT_KEY is not set"):
        load_config(environ=env)
    assert not (tmp_path / "audit_checkpoint_key").exists()  # nothing generated instead
    with pytest.raises(ConfigError, match="at least 32"):
        load_config(environ={**env, "AUDIT_CHECKPOINT_KEY": "short"})
    settings = load_config(environ={**env, "AUDIT_CHECKPOINT_KEY": CHECKPOINT})
    assert settings["AUDIT_CHECKPOINT_KEY"] == CHECKPOINT


def test_the_app_itself_does_not_start_in_production_without_it(tmp_path: Path) -> None:
    env = {
        "THERAPY_ENV": "production",
        "SECRET_KEY": SECRET,
        "TOTP_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("AUDIT_CHECKPOINT_KEY", raising=False)
        with pytest.raises(ConfigError, match="AUDIT_CHECKPOINT_KEY"):
            create_app()


def test_local_use_generates_a_checkpoint_key_once(tmp_path: Path) -> None:
    env = {"THERAPY_ENV": "development", "INSTANCE_PATH": str(tmp_path)}
    first = load_config(environ=env)["AUDIT_CHECKPOINT_KEY"]
    assert len(first) >= 32 and load_config(environ=env)["AUDIT_CHECKPOINT_KEY"] == first
    assert stat.S_IMODE((tmp_path / "audit_checkpoint_key").stat().st_mode) == 0o600


def test_a_malformed_key_is_refused(tmp_path: Path) -> None:
    env = {"TOTP_ENCRYPTION_KEY": "not-a-key", "INSTANCE_PATH": str(tmp_path)}
    with pytest.raises(ConfigError, match="Fernet"):
        load_config(environ=env)


def test_local_use_generates_a_private_key_file_once(tmp_path: Path) -> None:
    env = {"THERAPY_ENV": "development", "INSTANCE_PATH": str(tmp_path)}
    first = load_config(environ=env)["TOTP_ENCRYPTION_KEY"]
    second = load_config(environ=env)["TOTP_ENCRYPTION_KEY"]
    assert first == second
    Fernet(first.encode())
    mode = stat.S_IMODE((tmp_path / "totp_key").stat().st_mode)
    assert mode == 0o600
    assert first not in (tmp_path / "secret_key").read_text()


def test_workers_starting_at_once_share_one_complete_set_of_keys(tmp_path: Path) -> None:
    """gunicorn starts its workers together on a fresh instance folder (bench.crash met this:
    one worker stopped on "File exists", another could read a key file not yet written)."""
    import multiprocessing

    instance = tmp_path / "instance"
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(6), context.Queue()
    workers = [
        context.Process(target=_start_a_worker, args=(str(instance), start, results))
        for _ in range(6)
    ]
    for worker in workers:
        worker.start()
    found = [results.get(timeout=30) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert all(isinstance(keys, tuple) for keys in found), found  # no worker failed to start
    assert len(set(found)) == 1  # every worker has the same keys
    assert all(found[0]) and len(found[0]) == 3
    assert [p.name for p in instance.iterdir() if p.name.startswith(".")] == []  # no drafts


def _start_a_worker(instance: str, start, results) -> None:
    start.wait()
    try:
        settings = load_config(environ={"THERAPY_ENV": "development", "INSTANCE_PATH": instance})
    except Exception as error:  # reported to the test, which names it
        results.put(repr(error))
        return
    names = ("SECRET_KEY", "TOTP_ENCRYPTION_KEY", "AUDIT_CHECKPOINT_KEY")
    results.put(tuple(str(settings[name]) for name in names))
