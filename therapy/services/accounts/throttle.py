"""Login throttling in the database, so every worker process shares one count (promise 4).

Five failed passwords or codes per account name per minute; the sixth attempt is refused
without checking anything. The count is per typed address, whether or not it has an account,
so the throttle itself does not reveal which addresses exist.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text

from therapy.extensions import db
from therapy.models import LoginFailure
from therapy.models.types import utcnow

MAX_FAILURES = 5
WINDOW = timedelta(minutes=1)
# Failures are kept a day for review, then deleted when the same account fails again.
KEEP = timedelta(days=1)


def _serialise(account_key: str) -> None:
    """Make concurrent attempts on one account take turns, so none slips past the count.

    SQLite already runs every transaction with BEGIN IMMEDIATE (one writer at a time); on
    PostgreSQL a transaction-level advisory lock per account does the same job.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": "login:" + account_key}
        )


def is_throttled(account_key: str, now: datetime | None = None) -> bool:
    """True when the account had five or more failures in the last minute."""
    _serialise(account_key)
    since = (now or utcnow()) - WINDOW
    count = db.session.scalar(
        select(func.count(LoginFailure.id)).where(
            LoginFailure.account_key == account_key, LoginFailure.failed_at > since
        )
    )
    return int(count or 0) >= MAX_FAILURES


def record_failure(account_key: str, now: datetime | None = None) -> None:
    """Count one failed password or code for the account name (the caller commits)."""
    moment = now or utcnow()
    db.session.execute(
        delete(LoginFailure).where(
            LoginFailure.account_key == account_key, LoginFailure.failed_at < moment - KEEP
        )
    )
    db.session.add(LoginFailure(account_key=account_key[:254], failed_at=moment))
    db.session.flush()
