"""Login sessions kept on the server (SECURITY.md promise 3).

The browser holds a random id; the database holds its SHA-256 with the account, the time of
the last request and whether the second factor was given. Ending a session deletes its row,
so a copied cookie stops working at once.

A full login idle for the lock time (15 minutes) is locked, not ended: the row keeps
`locked_at`, every tab of that login is refused patient data until the password is given
again (the second factor is not: the login is still the same one), and requests while locked
are not activity. Idle for the idle time (2 hours) or 12 hours in all, it ends. Rotating the
account's session_token (a password, role or status change) ends every session of that account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import bindparam, delete, or_, select

from therapy.extensions import db
from therapy.models import Practice, User, UserSession
from therapy.models.types import utcnow


class EndReason(StrEnum):
    """Why a cookie no longer names a live session."""

    UNKNOWN = "unknown"
    IDLE = "idle"
    ABSOLUTE = "absolute"
    SECOND_STEP = "second_step"
    ACCOUNT = "account"


@dataclass(frozen=True)
class Timeouts:
    """How long a session lives, in seconds (from the app's configuration)."""

    idle: int
    absolute: int
    second_step: int
    # A full login idle this long is locked (the screen lock), until the password unlocks it.
    lock: int = 15 * 60
    # Activity is written at most this often, so most requests do not write just to say so;
    # the idle timeout then counts from at most this long before the last request.
    touch_every: int = 20


@dataclass(frozen=True)
class Lookup:
    """The live session a cookie names, or why there is none."""

    record: UserSession | None
    user: User | None
    ended: EndReason | None = None
    # The account whose session just ended, so a form it posted can be kept for it.
    ended_user_id: int | None = None
    # The practice's default language, read in the same statement (an account without a
    # language of its own sees the practice's).
    practice_language: str | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(
    user: User,
    *,
    verified: bool,
    client_address: str = "",
    user_agent: str = "",
    now: datetime | None = None,
) -> str:
    """Open a new session for the account and return the random id for the cookie."""
    moment = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            id=_digest(token),
            user_id=user.id,
            generation=user.session_token,
            created_at=moment,
            last_seen_at=moment,
            second_factor_at=moment if verified else None,
            client_address=client_address[:64],
            user_agent=user_agent[:200],
        )
    )
    db.session.flush()
    return token


def _end_reason(
    record: UserSession, user: User, now: datetime, limits: Timeouts
) -> EndReason | None:
    if not user.is_active or record.generation != user.session_token:
        return EndReason.ACCOUNT
    if not record.is_verified and now - record.created_at > timedelta(seconds=limits.second_step):
        return EndReason.SECOND_STEP
    if now - record.created_at > timedelta(seconds=limits.absolute):
        return EndReason.ABSOLUTE
    if now - record.last_seen_at > timedelta(seconds=limits.idle):
        return EndReason.IDLE
    return None


# Every request asks: the session, its account and the practice's language in one
# statement, built once.
_PRACTICE_LANGUAGE = select(Practice.language).order_by(Practice.id).limit(1).scalar_subquery()
_SESSION_AND_ACCOUNT = (
    select(UserSession, User, _PRACTICE_LANGUAGE)
    .outerjoin(User, User.id == UserSession.user_id)
    .where(UserSession.id == bindparam("session_id"))
)


def find_session(token: str | None, limits: Timeouts, now: datetime | None = None) -> Lookup:
    """The live session for a cookie's id; an expired one is deleted (the caller commits)."""
    if not token or not isinstance(token, str) or len(token) > 100:
        return Lookup(None, None, EndReason.UNKNOWN if token else None)
    found = db.session.execute(_SESSION_AND_ACCOUNT, {"session_id": _digest(token)}).first()
    if found is None:
        return Lookup(None, None, EndReason.UNKNOWN)
    record, user, practice_language = found
    reason = (
        EndReason.ACCOUNT if user is None else _end_reason(record, user, now or utcnow(), limits)
    )
    if reason is not None:
        # A statement, not an ORM delete: two requests of one browser may both find the
        # expired row, and the second then deletes nothing, which is fine (an ORM delete
        # would complain that the row was gone).
        user_id = record.user_id
        db.session.execute(delete(UserSession).where(UserSession.id == record.id))
        return Lookup(None, None, reason, ended_user_id=user_id)
    return Lookup(record, user, practice_language=practice_language)


def is_locked(record: UserSession, limits: Timeouts, now: datetime | None = None) -> bool:
    """True when the login is locked, or idle long enough that it is locked from now on."""
    if not record.is_verified:
        return False
    if record.locked_at is not None:
        return True
    return (now or utcnow()) - record.last_seen_at > timedelta(seconds=limits.lock)


def lock_if_idle(record: UserSession, limits: Timeouts, now: datetime | None = None) -> bool:
    """Write the lock of a login idle for the lock time; True when this call locked it."""
    if record.locked_at is not None or not is_locked(record, limits, now):
        return False
    record.locked_at = now or utcnow()
    return True


def unlock(record: UserSession, now: datetime | None = None) -> None:
    """The password was given again: the login goes on, and this is activity."""
    moment = now or utcnow()
    record.locked_at = None
    record.last_seen_at = moment


def touch(
    record: UserSession, limits: Timeouts, now: datetime | None = None, *, force: bool = False
) -> bool:
    """Note activity (the idle timeout counts from the last request); True when written.

    A locked login's requests are not activity: only unlocking is.
    """
    moment = now or utcnow()
    if is_locked(record, limits, moment):
        return False
    if not force and moment - record.last_seen_at < timedelta(seconds=limits.touch_every):
        return False
    record.last_seen_at = moment
    return True


def seconds_left(record: UserSession, limits: Timeouts, now: datetime | None = None) -> int:
    """Seconds until the session ends if nothing more happens."""
    moment = now or utcnow()
    idle_end = record.last_seen_at + timedelta(seconds=limits.idle)
    absolute_end = record.created_at + timedelta(seconds=limits.absolute)
    return max(0, int((min(idle_end, absolute_end) - moment).total_seconds()))


def seconds_until_lock(record: UserSession, limits: Timeouts, now: datetime | None = None) -> int:
    """Seconds until the screen locks if nothing more happens (0 when locked already)."""
    if is_locked(record, limits, now):
        return 0
    lock_at = record.last_seen_at + timedelta(seconds=limits.lock)
    return max(0, int((lock_at - (now or utcnow())).total_seconds()))


def absolute_seconds_left(
    record: UserSession, limits: Timeouts, now: datetime | None = None
) -> int:
    """Seconds until the 12-hour limit, which activity does not extend."""
    end = record.created_at + timedelta(seconds=limits.absolute)
    return max(0, int((end - (now or utcnow())).total_seconds()))


def end_session(record: UserSession) -> None:
    """End one session on the server: its cookie no longer works."""
    db.session.delete(record)
    db.session.flush()


def active_sessions(user: User, limits: Timeouts, now: datetime | None = None) -> list[UserSession]:
    """The account's logins that still work (both factors given), most recently used first."""
    moment = now or utcnow()
    records = db.session.scalars(
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.generation == user.session_token,
            UserSession.second_factor_at.is_not(None),
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.created_at.desc())
    )
    return [record for record in records if _end_reason(record, user, moment, limits) is None]


def end_other_sessions(user: User, keep: UserSession) -> int:
    """End every login of the account but this one; how many were ended (ASVS 3.3.4)."""
    result = db.session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.id != keep.id)
    )
    db.session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def end_all_sessions(user: User) -> None:
    """End every session of the account (password, role or status change)."""
    user.end_all_sessions()
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    db.session.flush()


def purge_expired(limits: Timeouts, now: datetime | None = None) -> None:
    """Delete sessions that can no longer be used, so the table stays small."""
    moment = now or utcnow()
    db.session.execute(
        delete(UserSession).where(
            or_(
                UserSession.created_at < moment - timedelta(seconds=limits.absolute),
                UserSession.last_seen_at < moment - timedelta(seconds=limits.idle),
            )
        )
    )
