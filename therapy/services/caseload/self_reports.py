"""The caseload's badges for the patient's own answers: asked and not yet answered, arrived."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select

from therapy.extensions import db
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import SelfReportRequest
from therapy.services.caseload.badges import Badge

# Answers that arrived this recently are news on the caseload; older ones are on the episode.
ARRIVED_FOR = timedelta(days=7)

_REQUESTS = select(
    SelfReportRequest.episode_id,
    SelfReportRequest.submitted_at,
    SelfReportRequest.expires_at,
).where(
    SelfReportRequest.episode_id.in_(bindparam("episode_ids", expanding=True)),
    SelfReportRequest.cancelled_at.is_(None),
)


def self_report_badges(episode_ids: list[int], now: datetime) -> dict[int, list[Badge]]:
    """Per episode: a badge for requests still open, one for answers arrived (one query)."""
    open_ids: set[int] = set()
    arrived_ids: set[int] = set()
    for episode_id, submitted_at, expires_at in db.session.execute(
        _REQUESTS, {"episode_ids": episode_ids}
    ):
        if submitted_at is None and expires_at > now:
            open_ids.add(episode_id)
        elif submitted_at is not None and submitted_at > now - ARRIVED_FOR:
            arrived_ids.add(episode_id)
    badges: dict[int, list[Badge]] = {}
    for episode_id in arrived_ids:
        badges.setdefault(episode_id, []).append(
            Badge(
                "self_report_arrived",
                _l("Patient's answers arrived"),
                _l("The patient sent their own answers in the last seven days."),
            )
        )
    for episode_id in open_ids:
        badges.setdefault(episode_id, []).append(
            Badge(
                "self_report_open",
                _l("Asked, not answered"),
                _l("The patient was asked to answer questionnaires and has not sent them yet."),
            )
        )
    return badges
