"""Password hashing (argon2id) and the password policy of SECURITY.md promise 2."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()
# Verified against when the account does not exist, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing-only")


def hash_password(password: str) -> str:
    """An argon2id hash with the library's current recommended parameters."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, burn the same time and say no."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)


def password_problems(password: str) -> list[str]:
    """Reasons a new password is refused; an empty list means it is acceptable."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(str(_l("Use at least %(n)d characters.", n=MIN_LENGTH)))
    if len(password) > MAX_LENGTH:
        problems.append(str(_l("Use at most %(n)d characters.", n=MAX_LENGTH)))
    if password and password.strip() != password:
        problems.append(str(_l("Do not start or end the password with a space.")))
    return problems
