"""Another connection holding the write lock for a while, on either database."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

HOLD_SECONDS = 0.6


def _hold_sqlite_lock(url: str, taken: threading.Event) -> None:
    other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    taken.set()
    time.sleep(HOLD_SECONDS)
    other.execute("ROLLBACK")
    other.close()


def _hold_postgres_lock(url: str, taken: threading.Event) -> None:
    engine = create_engine(url)
    with engine.connect() as other:
        other.execute(text("LOCK TABLE patient IN EXCLUSIVE MODE"))  # blocks every writer
        taken.set()
        time.sleep(HOLD_SECONDS)
        other.rollback()
    engine.dispose()


@contextmanager
def another_writer_holding_the_lock(backend: str, database_url: str) -> Iterator[None]:
    """Runs the block while another connection holds the lock for HOLD_SECONDS."""
    taken = threading.Event()
    hold = _hold_sqlite_lock if backend == "sqlite" else _hold_postgres_lock
    holder = threading.Thread(target=hold, args=(database_url, taken))
    holder.start()
    assert taken.wait(5), "the other writer never took its lock"
    try:
        yield
    finally:
        holder.join()
