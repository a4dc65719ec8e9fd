"""The practice itself: its settings, its accounts and the GPs who refer to it."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import Boolean, CheckConstraint, Float, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from therapy.extensions import db
from therapy.models.enums import Profession, Role
from therapy.models.types import UTCDateTime, checked_enum, utcnow

# The product's languages (therapy.i18n.locale names them); checked in the database too.
LANGUAGES = ("nl", "en_GB")
_LANGUAGE_CHECK = "language IN ('nl', 'en_GB')"


def default_language() -> str:
    """A new practice speaks the configured default language (Dutch unless set otherwise)."""
    configured = current_app.config.get("BABEL_DEFAULT_LOCALE") if has_app_context() else None
    return configured if configured in LANGUAGES else "nl"


def new_session_token() -> str:
    """A fresh random token; changing it ends every session of the account."""
    return secrets.token_hex(16)


class Practice(db.Model):  # type: ignore[name-defined,misc]
    """The practice's settings: one row per installation."""

    __tablename__ = "practice"
    __table_args__ = (
        CheckConstraint("phq15_sd > 0", name="phq15_sd_positive"),
        CheckConstraint("phq15_alpha >= 0 AND phq15_alpha < 1", name="phq15_alpha_range"),
        CheckConstraint("phq15_mcid BETWEEN 1 AND 30", name="phq15_mcid_range"),
        CheckConstraint("psfs_mcid > 0 AND psfs_mcid <= 10", name="psfs_mcid_range"),
        CheckConstraint(_LANGUAGE_CHECK, name="language_known"),
        CheckConstraint("record_sequence >= 0", name="record_sequence_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    # The letterhead of every document (DOMAIN.md §8); empty until the practice fills it in.
    postcode: Mapped[str] = mapped_column(String(16), default="", server_default="")
    town: Mapped[str] = mapped_column(String(100), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    agb_code: Mapped[str] = mapped_column(String(8), default="", server_default="")
    # The practice's record numbers (therapy.services.patients.record_numbers): the prefix
    # ("" until the first number: then derived from the name) and the last number given out,
    # counted up in the transaction that adds the patient.
    record_prefix: Mapped[str] = mapped_column(String(8), default="", server_default="")
    record_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # PHQ-15 change settings (DOMAIN.md §3): defaults until the practice has its own SD.
    phq15_sd: Mapped[float] = mapped_column(Float, default=4.0)
    phq15_alpha: Mapped[float] = mapped_column(Float, default=0.80)
    phq15_mcid: Mapped[int] = mapped_column(Integer, default=3)
    psfs_mcid: Mapped[float] = mapped_column(Float, default=2.0)
    # The language of the practice's screens and documents unless an account or a document
    # chooses another (DOMAIN.md §7: Dutch first).
    # (A row written by hand, outside the app, gets Dutch: the server default.)
    language: Mapped[str] = mapped_column(String(8), default=default_language, server_default="nl")
    # A demo database may be reseeded and offers demo login codes; a real one never.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Practice {self.id}>"


class User(db.Model):  # type: ignore[name-defined,misc]
    """A practice account: a therapist with a caseload, or a practice administrator."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "role <> 'therapist' OR profession IS NOT NULL", name="therapist_has_profession"
        ),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint(f"language IS NULL OR {_LANGUAGE_CHECK}", name="language_known"),
        CheckConstraint(
            "role = 'therapist' OR NOT is_practice_lead", name="practice_lead_is_therapist"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(checked_enum(Role, "role"))
    profession: Mapped[Profession | None] = mapped_column(
        checked_enum(Profession, "profession"), nullable=True
    )
    # Professional register number (BIG or Kwaliteitsregister), printed under the signature.
    registration_number: Mapped[str] = mapped_column(String(40), default="")
    # Which register the number is in (BIG or Kwaliteitsregister Paramedici), and the
    # therapist's own AGB code: both printed under the signature.
    # "" (not known) or a Register value; plain text so SQLite can drop it again on downgrade.
    registration_register: Mapped[str] = mapped_column(String(3), default="", server_default="")
    agb_code: Mapped[str] = mapped_column(String(8), default="", server_default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the login cookie: rotating it on a password, role or status change ends sessions.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    # Second factor (NEN 7510): the TOTP secret is stored encrypted, never in plain text.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(Text, nullable=True)
    totp_enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when an administrator knows (or could reset) the way in: the first password they
    # chose, or a reset authenticator. A full login then reaches only the password change.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The account's own screen language; None follows the practice's.
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # A therapist who also sees the practice's outcomes across therapists (never a patient).
    is_practice_lead: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def is_therapist(self) -> bool:
        """True for accounts that hold a caseload."""
        return self.role == Role.THERAPIST

    @property
    def is_practice_admin(self) -> bool:
        """True for accounts that manage the practice but read no clinical content."""
        return self.role == Role.PRACTICE_ADMIN

    # Flask-Login protocol, written out so the cookie carries the session token.
    @property
    def is_authenticated(self) -> bool:
        """Every loaded account is authenticated; anonymous users are another class."""
        return True

    @property
    def is_anonymous(self) -> bool:
        """Accounts are never anonymous."""
        return False

    def get_id(self) -> str:
        """Identify the account and the session generation it was logged in under."""
        return f"{self.id}:{self.session_token}"

    def end_all_sessions(self) -> None:
        """Invalidate every existing login of this account."""
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class GeneralPractitioner(db.Model):  # type: ignore[name-defined,misc]
    """A GP or other referrer; shared by the practice's therapists."""

    __tablename__ = "general_practitioner"
    __table_args__ = (CheckConstraint("version >= 1", name="version_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Title and initials or given name ("Dr. J."), the voorvoegsel ("van") and the main
    # surname ("Dijk") apart, so GPs sort under their main surname as Dutch registers do.
    name: Mapped[str] = mapped_column(String(200))
    voorvoegsel: Mapped[str] = mapped_column(String(20), default="", server_default="")
    family_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    practice_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(16), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    # AGB code: the Dutch national identifier of a care provider (8 digits).
    agb_code: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Compare-and-swap on edits (therapy.models.versioning): two tabs never overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @property
    def full_name(self) -> str:
        """The GP's name as written on a letter ("Dr. J. van Dijk")."""
        return " ".join(part for part in (self.name, self.voorvoegsel, self.family_name) if part)

    def __repr__(self) -> str:
        return f"<GeneralPractitioner {self.id}>"
