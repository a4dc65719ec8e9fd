"""Access control state kept on the server: login sessions, recovery codes, failed logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from therapy.extensions import db
from therapy.models.types import UTCDateTime, utcnow


class UserSession(db.Model):  # type: ignore[name-defined,misc]
    """One login of one account; the browser's cookie holds only a random id for it.

    The id column stores the SHA-256 of that random id, so reading this table does not give
    anyone a cookie that works. A row without ``second_factor_at`` is a password-only login
    that may reach the second step and nothing else.
    """

    __tablename__ = "user_session"
    __table_args__ = (
        CheckConstraint("length(id) = 64", name="id_is_sha256"),
        Index("ix_user_session_user", "user_id"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    # The account's session_token when this login began: rotating it ends every login.
    generation: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    second_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Set when the login was idle for the lock time: every tab of it is locked until the
    # password is given again (therapy.services.accounts.login_sessions).
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    client_address: Mapped[str] = mapped_column(String(64), default="")
    # While the device is handed to a patient: the self_report_request they answer. No foreign
    # key on purpose: one would make this table clinical, and every touch an audit event.
    handover_request_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The browser's User-Agent at login, shortened: the "device" on the user's list of logins.
    user_agent: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Flash messages waiting for this login's next page (JSON), kept out of the cookie.
    flashes: Mapped[str | None] = mapped_column(Text, nullable=True)

    @property
    def is_verified(self) -> bool:
        """True once both factors were given."""
        return self.second_factor_at is not None

    def __repr__(self) -> str:
        return f"<UserSession user={self.user_id} verified={self.is_verified}>"


class RecoveryCode(db.Model):  # type: ignore[name-defined,misc]
    """A one-time code that replaces the authenticator app once; stored as a SHA-256 hash."""

    __tablename__ = "recovery_code"
    __table_args__ = (Index("ix_recovery_code_user", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} used={self.used_at is not None}>"


class LoginFailure(db.Model):  # type: ignore[name-defined,misc]
    """A failed password or code for an account name; counted to throttle guessing.

    Keyed by the normalised e-mail address typed, not by account id, so an address that has
    no account is throttled exactly like one that has.
    """

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_account_time", "account_key", "failed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_key: Mapped[str] = mapped_column(String(254))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<LoginFailure {self.id}>"
