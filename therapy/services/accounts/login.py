"""The two steps of a login, throttled per account name (SECURITY.md promises 1 and 4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from therapy.models import User
from therapy.services.accounts import throttle, two_factor
from therapy.services.accounts.passwords import verify_password
from therapy.services.accounts.throttle import StepResult
from therapy.services.accounts.users import authenticate, normalise_email

__all__ = [
    "PasswordOutcome",
    "StepResult",
    "code_step",
    "confirm_password_step",
    "enrol_step",
    "password_step",
    "unlock_step",
]


@dataclass(frozen=True)
class PasswordOutcome:
    """The result of the password step and, when it passed, the account."""

    result: StepResult
    user: User | None = None


def password_step(email: str, password: str, now: datetime | None = None) -> PasswordOutcome:
    """Check an address and password; failures count toward the throttle (caller commits).

    An unknown address, a deactivated account and a wrong password give the same result
    after the same work (one argon2 verification), so none of them can be told apart.
    """
    key = normalise_email(email)[:254]
    if throttle.is_throttled(key, now):
        verify_password(None, password)  # the same work as a real attempt
        return PasswordOutcome(StepResult.THROTTLED)
    user = authenticate(email, password)
    if user is None:
        throttle.record_failure(key, now)
        return PasswordOutcome(StepResult.WRONG)
    return PasswordOutcome(StepResult.PASSED, user)


def code_step(user: User, code: str, now: datetime | None = None) -> StepResult:
    """Check a TOTP or recovery code for a password-only login; each code works once."""
    typed = "".join(code.split())

    def accepted() -> bool:
        if typed.isascii() and typed.isdigit():
            return two_factor.accept_totp(user, typed, now)
        return two_factor.accept_recovery_code(user, typed, now)

    return throttle.attempt(user.email, accepted, now)


def enrol_step(user: User, code: str, now: datetime | None = None) -> list[str] | None:
    """Confirm a new authenticator; the new recovery codes, or None (failure counted)."""
    if throttle.is_throttled(user.email, now):
        return None
    codes = two_factor.confirm_enrolment(user, "".join(code.split()), now)
    if codes is None:
        throttle.record_failure(user.email, now)
    return codes


def unlock_step(user: User, password: str, now: datetime | None = None) -> StepResult:
    """Check the password of a locked login's own account, throttled like the login (its
    failures count toward the same five a minute); no second factor: the login is the same."""
    return confirm_password_step(user, password, now)


def confirm_password_step(user: User, password: str, now: datetime | None = None) -> StepResult:
    """The logged-in person's password again before a security-relevant action (ASVS 3.3.2:
    unlocking, ending other logins), throttled with the login's count (caller commits)."""
    if throttle.is_throttled(user.email, now):
        verify_password(None, password)  # the same work as a real attempt
        return StepResult.THROTTLED
    if not user.is_active or not verify_password(user.password_hash, password):
        throttle.record_failure(user.email, now)
        return StepResult.WRONG
    return StepResult.PASSED
