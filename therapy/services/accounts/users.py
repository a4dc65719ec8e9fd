"""Practice accounts: creating them, and checking a login."""

from __future__ import annotations

from sqlalchemy import func, select

from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import User
from therapy.models.enums import Profession, Role
from therapy.models.types import utcnow
from therapy.services.accounts import throttle
from therapy.services.accounts.login_sessions import end_all_sessions
from therapy.services.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def normalise_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def create_user(
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role,
    profession: Profession | None = None,
    registration_number: str = "",
) -> User:
    """Add an account after checking the password policy and that the address is free."""
    address = normalise_email(email)
    if "@" not in address or len(address) > 254:
        raise AccountError(_("Give a valid e-mail address."))
    if not full_name.strip():
        raise AccountError(_("Give the person's full name."))
    if role == Role.THERAPIST and profession is None:
        raise AccountError(_("A therapist needs a profession."))
    problems = password_problems(password, context=(address, full_name))
    if problems:
        raise AccountError(" ".join(problems))
    exists = db.session.scalar(select(func.count()).where(User.email == address))
    if exists:
        raise AccountError(_("An account with this e-mail address already exists."))
    user = User(
        email=address,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        role=role,
        profession=profession if role == Role.THERAPIST else None,
        registration_number=registration_number.strip(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with this address and password, or None (in constant-ish time)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    stored = user.password_hash if user is not None and user.is_active else None
    if not verify_password(stored, password) or user is None:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User) -> None:
    """Note the time of a successful login."""
    user.last_login_at = utcnow()


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends every session of the account."""
    checked = throttle.attempt(user.email, lambda: verify_password(user.password_hash, current))
    if checked == throttle.StepResult.THROTTLED:
        raise AccountError(_("Too many attempts. Wait a minute, then try again."))
    if checked == throttle.StepResult.WRONG:
        raise AccountError(_("Your current password is not correct."))
    if current == new:
        raise AccountError(_("Choose a password different from the current one."))
    problems = password_problems(new, context=(user.email, user.full_name))
    if problems:
        raise AccountError(" ".join(problems))
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    end_all_sessions(user)
