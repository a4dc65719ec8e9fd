"""The second factor (NEN 7510): TOTP secrets encrypted at rest, each code accepted once.

The encryption key comes from the app's configuration (TOTP_ENCRYPTION_KEY or the local
instance/totp_key), never from the database, so a copy of the database alone does not give
anyone the secrets. Recovery codes are stored as SHA-256 hashes: they are long random strings,
so a fast hash is enough, and checking ten of them costs nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from therapy.extensions import db
from therapy.models import RecoveryCode, User
from therapy.models.types import utcnow

STEP_SECONDS = 30
# One step either side of now, for phones whose clock is a little off.
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_RECOVERY_LENGTH = 16  # about 79 bits


class SecretUnreadable(RuntimeError):
    """A stored TOTP secret cannot be decrypted with the configured key(s)."""


def _cipher() -> MultiFernet:
    keys = str(current_app.config["TOTP_ENCRYPTION_KEY"]).split(",")
    return MultiFernet([Fernet(key.strip().encode("ascii")) for key in keys])


def encrypt_secret(secret: str) -> str:
    """The secret encrypted (and authenticated) with the first configured key."""
    return _cipher().encrypt(secret.encode("ascii")).decode("ascii")


def decrypt_secret(token: str) -> str:
    """The plain secret; raises SecretUnreadable if no configured key opens it."""
    try:
        return _cipher().decrypt(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise SecretUnreadable("the TOTP secret does not open with the configured key") from error


def is_enrolled(user: User) -> bool:
    """True once the account confirmed a code from its authenticator app."""
    return user.totp_enrolled_at is not None and user.totp_secret_encrypted is not None


def enrolment_secret(user: User) -> str | None:
    """The secret of an enrolment in progress (made at the password step), if any."""
    if not user.totp_secret_encrypted or user.totp_enrolled_at is not None:
        return None
    try:
        return decrypt_secret(user.totp_secret_encrypted)
    except SecretUnreadable:
        return None  # the key was replaced mid-enrolment: the next login starts again


def begin_enrolment(user: User) -> str:
    """A new secret for an account that has no confirmed authenticator yet."""
    secret = pyotp.random_base32(length=32)
    user.totp_secret_encrypted = encrypt_secret(secret)
    user.totp_enrolled_at = None
    user.totp_last_step = None
    db.session.flush()
    return secret


def enrol_directly(user: User, now: datetime | None = None) -> str:
    """Give an account a confirmed secret without the QR step (demo accounts, tests)."""
    secret = pyotp.random_base32(length=32)
    user.totp_secret_encrypted = encrypt_secret(secret)
    user.totp_enrolled_at = now or utcnow()
    user.totp_last_step = None
    db.session.flush()
    return secret


def provisioning_uri(user: User, secret: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The QR code as a small SVG with presentation attributes only (no style or script)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, dark="#1d2633", light="#ffffff"))


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def accept_totp(user: User, code: str, now: datetime | None = None) -> bool:
    """True if the code is right and was never used before; it is then used up.

    The "never used" check is a compare-and-swap on the last accepted time step, so two
    simultaneous logins with the same code cannot both succeed.
    """
    if not user.totp_secret_encrypted or not (code.isascii() and code.isdigit() and len(code) == 6):
        return False
    step = _matching_step(decrypt_secret(user.totp_secret_encrypted), code, now or utcnow())
    if step is None:
        return False
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def confirm_enrolment(user: User, code: str, now: datetime | None = None) -> list[str] | None:
    """Finish enrolment with a first code; returns the new recovery codes, or None."""
    if user.totp_enrolled_at is not None or not accept_totp(user, code, now):
        return None
    user.totp_enrolled_at = now or utcnow()
    return new_recovery_codes(user)


def _hash_code(code: str) -> str:
    return hashlib.sha256(normalise_recovery_code(code).encode("ascii")).hexdigest()


def normalise_recovery_code(code: str) -> str:
    """Lowercase without spaces or dashes, as the codes are compared."""
    return "".join(char for char in code.lower() if char.isalnum() and char.isascii())


def new_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes with ten new ones, returned once in plain text."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_code(c)) for c in codes)
    db.session.flush()
    return codes


def accept_recovery_code(user: User, code: str, now: datetime | None = None) -> bool:
    """True if the code is one of the account's unused recovery codes; it is then used up."""
    if len(normalise_recovery_code(code)) != _RECOVERY_LENGTH:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_code(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def unused_recovery_codes(user: User) -> int:
    """How many recovery codes the account has left."""
    query = select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return int(db.session.scalar(query) or 0)


def reset_two_factor(user: User) -> None:
    """Forget the account's authenticator and recovery codes: it enrols again at next login."""
    user.totp_secret_encrypted = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def current_code(user: User, now: datetime | None = None) -> tuple[str, int]:
    """The code an authenticator app shows now and the seconds it stays valid (demo only)."""
    if not user.totp_secret_encrypted:
        raise SecretUnreadable("the account has no authenticator enrolled")
    moment = int((now or utcnow()).timestamp())
    code = pyotp.TOTP(decrypt_secret(user.totp_secret_encrypted)).at(moment)
    return code, STEP_SECONDS - moment % STEP_SECONDS
