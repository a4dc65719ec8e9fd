"""Password hashing (argon2id) and the password policy of SECURITY.md promise 2."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from therapy.i18n.translation import lazy_gettext as _l

MIN_LENGTH = 12
MAX_LENGTH = 128

# The test suite alone may hash with argon2's cheapest parameters: it logs in some 900 times
# per run, and each real verification takes a quarter of a second and 64 MiB. It takes both
# settings below in the environment (tests/conftest.py sets them before the app is
# imported); anywhere else the library's recommended parameters hold, and a cheap hash that
# reached a real database is rehashed at its next login (`needs_rehash`).
CHEAP_FOR_TESTS = "THERAPY_TEST_CHEAP_HASHING"


def choose_hasher(environ: Mapping[str, str]) -> PasswordHasher:
    """Argon2id with the recommended parameters; the cheapest only inside the test suite."""
    if environ.get("THERAPY_ENV") == "test" and environ.get(CHEAP_FOR_TESTS) == "1":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


_hasher = choose_hasher(os.environ)


@cache
def _dummy_hash() -> str:
    """Verified against when the account does not exist, so both cases take the same time.

    Made on first use, not at import: hashing takes the hasher's 64 MiB once more in every
    worker that starts, even one that never sees a login.
    """
    return _hasher.hash("not-a-real-password-for-timing-only")


def hash_password(password: str) -> str:
    """An argon2id hash with the library's current recommended parameters."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, burn the same time and say no."""
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (therapy/data/common-passwords.txt), lowercase."""
    text = resources.files("therapy").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line and not line.startswith("#")
    )


def _core(password: str) -> str:
    """The password without the digits and symbols people put around a weak word."""
    return password.casefold().strip("0123456789!@#$%^&*()-_=+.,?;:'\"~` ")


def _is_common(password: str) -> bool:
    """True for a listed password, or a listed one dressed up with a year or repetition."""
    listed = common_passwords()
    folded = password.casefold()
    if folded in listed or folded.replace(" ", "") in listed:
        return True
    core = _core(password)
    if len(core) >= 4 and core in listed:
        return True
    # "passwordpassword", "abcabcabcabc": a short listed word repeated to reach the length.
    joined = folded.replace(" ", "")
    for size in range(1, len(joined) // 2 + 1):
        if len(joined) % size == 0 and joined[:size] * (len(joined) // size) == joined:
            return size < 4 or joined[:size] in listed
    return False


def password_problems(password: str, context: Iterable[str] = ()) -> list[str]:
    """Reasons a new password is refused; an empty list means it is acceptable.

    Any Unicode is allowed (NIST SP 800-63B): the length counts characters after NFC
    normalisation, so an accented letter typed either way counts once. ``context`` holds
    words that must not make up the password, such as the account's e-mail address and name.
    """
    password = unicodedata.normalize("NFC", password)
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(str(_l("Use at least %(n)d characters.", n=MIN_LENGTH)))
    if len(password) > MAX_LENGTH:
        problems.append(str(_l("Use at most %(n)d characters.", n=MAX_LENGTH)))
    if password and password.strip() != password:
        problems.append(str(_l("Do not start or end the password with a space.")))
    if any(unicodedata.category(char) == "Cc" for char in password):
        problems.append(str(_l("Do not use control characters.")))
    if problems:
        return problems
    if _is_common(password) or len(set(password)) < 5:
        problems.append(
            str(_l("This password is too common or too easy to guess. Choose another one."))
        )
    folded = password.casefold()
    words = {part.casefold() for word in context for part in _context_parts(word)}
    if any(len(word) >= 4 and word in folded for word in words):
        problems.append(str(_l("Do not use your name or e-mail address in the password.")))
    return problems


def _context_parts(word: str) -> list[str]:
    """The pieces of a name or address someone might put in a password."""
    local = word.split("@", 1)[0]
    return [local, *local.replace(".", " ").replace("-", " ").split(), *word.split()]
