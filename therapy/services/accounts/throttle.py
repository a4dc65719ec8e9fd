"""Throttling in the database, so every worker process shares one count (promises 4, 14).

Five failed passwords or codes per account name per minute; the sixth attempt is refused
without checking anything. Every place that checks a password or a code goes through
`attempt` or its two halves (the login's two steps, enrolment, the password change), so one
count covers them all and none of them can be used to guess without limit.
The count is per typed address, whether or not it has an account,
so the throttle itself does not reveal which addresses exist.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select, text

from therapy.extensions import db
from therapy.models import LoginFailure
from therapy.models.types import utcnow

MAX_FAILURES = 5
WINDOW = timedelta(minutes=1)
# Failures are kept a day for review, then deleted when the same account fails again.
KEEP = timedelta(days=1)


class StepResult(StrEnum):
    """How a checked password or code came out."""

    PASSED = "passed"
    WRONG = "wrong"
    THROTTLED = "throttled"


def attempt(account_key: str, check: Callable[[], bool], now: datetime | None = None) -> StepResult:
    """Run one password or code check under the account's throttle; a failure is counted
    (the caller commits, also when it shows the failure)."""
    if is_throttled(account_key, now):
        return StepResult.THROTTLED
    if not check():
        record_failure(account_key, now)
        return StepResult.WRONG
    return StepResult.PASSED


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
