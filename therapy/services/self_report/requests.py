"""Asking a patient: create a request (device or link), find a link by its token, its state."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select

from therapy.extensions import db
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import SelfReportRequest, TherapySession, TreatmentEpisode
from therapy.models.enums import Phq15Timepoint, SelfReportChannel

TOKEN_BYTES = 32  # 256 random bits; at least 128 are promised (SECURITY.md promise 11)
DEFAULT_VALID_DAYS = 7
MAX_VALID_DAYS = 30


class RequestInputError(ValueError):
    """A request that cannot be made; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


class LinkState(StrEnum):
    """What a link is now; each state has its own plain message and reveals nothing else."""

    OPEN = "open"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Asked:
    """What the therapist asks: any of a PHQ-15 at a timepoint, the PSFS, a session's check-in."""

    phq15_timepoint: Phq15Timepoint | None = None
    phq15_session_id: int | None = None
    psfs: bool = False
    checkin_session_id: int | None = None


def hash_token(token: str) -> str:
    """The SHA-256 of a link's token: the only form in which it is stored."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _session_of(episode: TreatmentEpisode, session_id: int | None, field: str) -> int | None:
    if session_id is None:
        return None
    found = db.session.scalar(
        select(TherapySession.id).where(
            TherapySession.id == session_id, TherapySession.episode_id == episode.id
        )
    )
    if found is None:
        raise RequestInputError(field, _l("Choose one of this episode's sessions."))
    return found


def create_request(
    episode: TreatmentEpisode,
    asked: Asked,
    *,
    channel: SelfReportChannel,
    language: str,
    created_by_id: int,
    now: datetime,
    valid_days: int = DEFAULT_VALID_DAYS,
) -> tuple[SelfReportRequest, str | None]:
    """Store a request; for a link, also return its token (shown once, never stored)."""
    if asked.phq15_timepoint is None and not asked.psfs and asked.checkin_session_id is None:
        raise RequestInputError("phq15_timepoint", _l("Choose at least one questionnaire."))
    if asked.psfs and not episode.goals:
        raise RequestInputError("psfs", _l("This episode has no goals to rate yet."))
    if asked.phq15_timepoint is Phq15Timepoint.SESSION and asked.phq15_session_id is None:
        raise RequestInputError("phq15_session_id", _l("Choose the session it is for."))
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise RequestInputError(
            "valid_days", _l("A link is valid for 1 to %(n)d days.", n=MAX_VALID_DAYS)
        )
    checkin_session = _session_of(episode, asked.checkin_session_id, "checkin_session_id")
    if checkin_session is not None:
        session = db.session.get(TherapySession, checkin_session)
        if session is not None and session.alliance is not None:
            raise RequestInputError(
                "checkin_session_id", _l("This session already has a check-in.")
            )
    token = secrets.token_urlsafe(TOKEN_BYTES) if channel is SelfReportChannel.LINK else None
    request = SelfReportRequest(
        episode_id=episode.id,
        created_by_id=created_by_id,
        channel=channel,
        token_hash=hash_token(token) if token else None,
        language=language,
        phq15_timepoint=asked.phq15_timepoint,
        phq15_session_id=_session_of(episode, asked.phq15_session_id, "phq15_session_id")
        if asked.phq15_timepoint is Phq15Timepoint.SESSION
        else None,
        psfs=asked.psfs,
        checkin_session_id=checkin_session,
        draft="{}",
        expires_at=now + timedelta(days=valid_days if token else 1),
    )
    db.session.add(request)
    db.session.flush()
    return request, token


def state_of(request: SelfReportRequest | None, now: datetime) -> LinkState:
    """Open, or why not: unknown, cancelled, used (submitted) or expired."""
    if request is None:
        return LinkState.UNKNOWN
    if request.cancelled_at is not None:
        return LinkState.CANCELLED
    if request.submitted_at is not None:
        return LinkState.USED
    if request.expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.OPEN


def find_by_token(token: str) -> SelfReportRequest | None:
    """The link request a token opens, or None (no such token: only its hash is compared)."""
    if not token or len(token) > 200:
        return None
    return db.session.scalar(
        select(SelfReportRequest).where(
            SelfReportRequest.token_hash == hash_token(token),
            SelfReportRequest.channel == SelfReportChannel.LINK,
        )
    )


def episode_requests(episode_id: int) -> list[SelfReportRequest]:
    """An episode's requests, newest first (asked, arrived, expired or cancelled)."""
    return list(
        db.session.scalars(
            select(SelfReportRequest)
            .where(SelfReportRequest.episode_id == episode_id)
            .order_by(SelfReportRequest.created_at.desc(), SelfReportRequest.id.desc())
        )
    )


def cancel(request: SelfReportRequest, now: datetime) -> None:
    """Withdraw an unanswered request: its link stops working."""
    if request.submitted_at is None and request.cancelled_at is None:
        request.cancelled_at = now
    db.session.flush()
