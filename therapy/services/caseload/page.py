"""The caseload: a page of patients with their current episode, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, bindparam, func, or_, select

from therapy.extensions import db
from therapy.models import Patient, TreatmentEpisode
from therapy.models.enums import EpisodeStatus
from therapy.models.types import utcnow
from therapy.services.caseload.badges import Badge, badges_for, episode_activity
from therapy.services.caseload.self_reports import self_report_badges


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the caseload."""

    patient_id: int
    record_number: str
    name: str
    date_of_birth: date
    episode_id: int | None
    status: EpisodeStatus | None
    sessions_held: int
    sessions_planned: int | None
    last_session_on: date | None
    badges: tuple[Badge, ...] = ()


@dataclass(frozen=True)
class CaseloadPage:
    """A page of the caseload with what the pager needs."""

    rows: list[CaseloadRow]
    page: int
    pages: int
    total: int
    query: str


# Far beyond any caseload; keeps the offset a number every database accepts.
LAST_POSSIBLE_PAGE = 1_000_000


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_filter(query: Select[tuple[Patient]], text: str) -> Select[tuple[Patient]]:
    """Narrow a patient select to names or record numbers containing the text.

    Each word is looked for in the given name, the main surname, the voorvoegsel and the
    record number, so "Vries", "de Vries" and "Jan de" all find Jan de Vries.
    """
    words = text.split()
    for word in words:
        pattern = f"%{_escape_like(word)}%"
        query = query.where(
            or_(
                Patient.given_name.ilike(pattern, escape="\\"),
                Patient.family_name.ilike(pattern, escape="\\"),
                Patient.voorvoegsel.ilike(pattern, escape="\\"),
                Patient.record_number.ilike(pattern, escape="\\"),
            )
        )
    return query


def caseload_page(
    patients: Select[tuple[Patient]],
    *,
    today: date,
    text: str = "",
    page: int = 1,
    per_page: int = 25,
) -> CaseloadPage:
    """One page of the given (already scoped) patient select, searched and ordered by name."""
    scoped = search_filter(patients, text.strip()) if text.strip() else patients
    page = min(max(1, page), LAST_POSSIBLE_PAGE)  # a huge number in the URL is a page past the end
    page_patients, total = _page_of(scoped, page, per_page)
    pages = max(1, -(-total // per_page))
    if page > pages:  # past the end (an old link): the last page, at the cost of a count
        total = db.session.scalar(scoped.with_only_columns(func.count(Patient.id))) or 0
        pages = max(1, -(-total // per_page))
        page = min(page, pages)
        page_patients, total = _page_of(scoped, page, per_page)
    # A fixed number of queries for any page: each step fetches rows for all its episodes.
    latest = _latest_episodes([patient.id for patient in page_patients])
    activity = episode_activity([episode.id for episode in latest.values()])
    badges = badges_for(list(latest.values()), activity, today)
    asked = self_report_badges([episode.id for episode in latest.values()], utcnow())
    for episode_id, extra in asked.items():
        badges.setdefault(episode_id, []).extend(extra)
    rows = []
    for patient in page_patients:
        episode = latest.get(patient.id)
        sessions = activity.get(episode.id) if episode else None
        held = sessions.held if sessions else 0
        last = sessions.last_held_on if sessions else None
        rows.append(
            CaseloadRow(
                patient_id=patient.id,
                record_number=patient.record_number,
                name=patient.sorted_name,
                date_of_birth=patient.date_of_birth,
                episode_id=episode.id if episode else None,
                status=episode.status if episode else None,
                sessions_held=held,
                sessions_planned=episode.planned_sessions if episode else None,
                last_session_on=last,
                badges=tuple(badges.get(episode.id, ())) if episode else (),
            )
        )
    return CaseloadPage(rows=rows, page=page, pages=pages, total=total, query=text.strip())


_EPISODES_OF_PATIENTS = (
    select(TreatmentEpisode)
    .where(TreatmentEpisode.patient_id.in_(bindparam("patient_ids", expanding=True)))
    .order_by(TreatmentEpisode.started_on, TreatmentEpisode.id)
)  # built once (see caseload_badges)


def _page_of(scoped: Select[tuple[Patient]], page: int, per_page: int) -> tuple[list[Patient], int]:
    """One page of patients ordered by name, and how many match in all (one query: the count
    is a window over every matching row, taken before the limit)."""
    rows = db.session.execute(
        scoped.add_columns(func.count(Patient.id).over())
        .order_by(func.lower(Patient.family_name), func.lower(Patient.given_name), Patient.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return [row[0] for row in rows], int(rows[0][1]) if rows else 0


def _latest_episodes(patient_ids: list[int]) -> dict[int, TreatmentEpisode]:
    """The most recent episode of each patient, in one query."""
    episodes = db.session.scalars(_EPISODES_OF_PATIENTS, {"patient_ids": patient_ids})
    # Later rows overwrite earlier ones, leaving the latest episode per patient.
    return {episode.patient_id: episode for episode in episodes}
