"""TOTP: the secret is encrypted with a key outside the database; each code works once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from tests.factories import make_user
from therapy.extensions import db
from therapy.models import RecoveryCode
from therapy.services.accounts import two_factor
from therapy.services.accounts.two_factor import SecretUnreadable

NOW = datetime(2026, 3, 2, 9, 0, 15, tzinfo=UTC)


def _code(secret: str, moment: datetime) -> str:
    return pyotp.TOTP(secret).at(moment)


def test_secret_is_not_stored_in_plain_text(app) -> None:
    user = make_user(enrolled=False)
    secret = two_factor.begin_enrolment(user)
    db.session.commit()
    stored = db.session.execute(
        text("SELECT totp_secret_encrypted FROM user_account WHERE id = :id"), {"id": user.id}
    ).scalar_one()
    assert secret not in stored
    assert two_factor.decrypt_secret(stored) == secret


def test_another_key_cannot_read_the_secret(app) -> None:
    user = make_user(enrolled=False)
    two_factor.begin_enrolment(user)
    app.config["TOTP_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    with pytest.raises(SecretUnreadable):
        two_factor.decrypt_secret(user.totp_secret_encrypted or "")


def test_a_rotated_key_still_reads_old_secrets(app) -> None:
    user = make_user(enrolled=False)
    secret = two_factor.begin_enrolment(user)
    old = app.config["TOTP_ENCRYPTION_KEY"]
    app.config["TOTP_ENCRYPTION_KEY"] = f"{Fernet.generate_key().decode()},{old}"
    assert two_factor.decrypt_secret(user.totp_secret_encrypted or "") == secret


def test_each_code_is_accepted_once(app) -> None:
    user = make_user(enrolled=False)
    secret = two_factor.enrol_directly(user, NOW)
    code = _code(secret, NOW)
    assert two_factor.accept_totp(user, code, NOW)
    assert not two_factor.accept_totp(user, code, NOW)
    # An older code, still inside the window, is refused after a newer one was used.
    assert not two_factor.accept_totp(user, _code(secret, NOW - timedelta(seconds=30)), NOW)
    assert two_factor.accept_totp(user, _code(secret, NOW + timedelta(seconds=30)), NOW)


def test_codes_outside_the_window_and_garbage_are_refused(app) -> None:
    user = make_user(enrolled=False)
    secret = two_factor.enrol_directly(user, NOW)
    assert not two_factor.accept_totp(user, _code(secret, NOW - timedelta(minutes=2)), NOW)
    assert not two_factor.accept_totp(user, _code(secret, NOW + timedelta(minutes=2)), NOW)
    for garbage in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦"):
        assert not two_factor.accept_totp(user, garbage, NOW)


def test_enrolment_needs_a_right_code_and_gives_ten_hashed_recovery_codes(app) -> None:
    user = make_user(enrolled=False)
    secret = two_factor.begin_enrolment(user)
    window = {_code(secret, NOW + timedelta(seconds=30 * k)) for k in (-1, 0, 1)}
    wrong = next(f"{n:06d}" for n in range(10) if f"{n:06d}" not in window)
    assert two_factor.confirm_enrolment(user, wrong, NOW) is None
    assert not two_factor.is_enrolled(user)
    codes = two_factor.confirm_enrolment(user, _code(secret, NOW), NOW)
    assert codes is not None and len(codes) == 10 and len(set(codes)) == 10
    assert two_factor.is_enrolled(user)
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not any(code.replace("-", "") in "".join(stored) for code in codes)


def test_a_recovery_code_works_once_in_any_spelling(app) -> None:
    user = make_user()
    codes = two_factor.new_recovery_codes(user)
    spelled = codes[3].upper().replace("-", " ")
    assert two_factor.accept_recovery_code(user, spelled, NOW)
    assert not two_factor.accept_recovery_code(user, codes[3], NOW)
    assert two_factor.unused_recovery_codes(user) == 9
    other = make_user()
    assert not two_factor.accept_recovery_code(other, codes[4], NOW)


def test_reset_forgets_the_authenticator_and_recovery_codes(app) -> None:
    user = make_user()
    two_factor.new_recovery_codes(user)
    two_factor.reset_two_factor(user)
    assert not two_factor.is_enrolled(user)
    assert user.totp_secret_encrypted is None
    assert two_factor.unused_recovery_codes(user) == 0


def test_qr_code_is_plain_svg_without_style_or_script(app) -> None:
    user = make_user(enrolled=False)
    secret = two_factor.begin_enrolment(user)
    uri = two_factor.provisioning_uri(user, secret, "Practice")
    assert uri.startswith("otpauth://totp/") and secret in uri
    svg = two_factor.qr_svg(uri)
    assert svg.startswith("<svg") and "<path" in svg
    for forbidden in ("style", "<script", "href", " on"):
        assert forbidden not in svg
