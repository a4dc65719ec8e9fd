"""Reading the audit trail: the per-patient access log and the administrator's search."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from therapy.extensions import db
from therapy.models import AuditEvent, User
from therapy.models.enums import AuditAction, AuditOutcome


@dataclass(frozen=True)
class AuditFilter:
    """What the administrator searches for; empty fields do not narrow the search."""

    user_id: int | None = None
    patient_id: int | None = None
    action: AuditAction | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One event as shown in a table."""

    id: int
    occurred_at: datetime
    action: AuditAction
    outcome: AuditOutcome
    user_name: str | None
    on_behalf_of_name: str | None
    patient_id: int | None
    object_type: str
    object_id: int | None
    endpoint: str
    client_address: str
    detail: str
    # For the administrator, who reads no clinical content, the detail is withheld: a search
    # keeps only how many patients it found.
    detail_hidden: bool = False
    found: int | None = None


# Events whose detail never holds patient data (account changes, logins), so an administrator
# may read it; every other detail is withheld from them, whatever a later feature puts there.
# The day after the last day must exist (and its midnight in UTC): "until 9999-12-31" is
# simply no upper bound.
LAST_BOUNDED_DAY = date.max - timedelta(days=2)
ADMIN_READABLE_DETAIL = frozenset({AuditAction.ACCOUNT, AuditAction.LOGIN, AuditAction.LOGOUT})
_SEARCH_SEPARATOR = " found for: "


def search_detail(results: int, text: str) -> str:
    """The detail of a search event: how many patients it found and the query typed."""
    return f"{results}{_SEARCH_SEPARATOR}{text}"


def split_search_detail(detail: str) -> tuple[int, str] | None:
    """The count and the query typed of a search event's detail; None for any other detail."""
    count, separator, query = detail.partition(_SEARCH_SEPARATOR)
    return (int(count), query) if separator and count.isdigit() else None


def _search_results(detail: str) -> int | None:
    count, separator, _query = detail.partition(_SEARCH_SEPARATOR)
    return int(count) if separator and count.isdigit() else None


def for_administrator(row: AuditRow) -> AuditRow:
    """The row as a practice administrator may see it: no query text, no clinical detail."""
    if not row.detail or row.action in ADMIN_READABLE_DETAIL:
        return row
    found = _search_results(row.detail) if row.action == AuditAction.SEARCH else None
    return replace(row, detail="", detail_hidden=True, found=found)


@dataclass(frozen=True)
class AuditPage:
    """A page of events, newest first, with what the pager needs."""

    rows: list[AuditRow]
    page: int
    pages: int
    total: int


def _local_midnight_utc(day: date, zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _filtered(query: Select[tuple[AuditEvent]], filters: AuditFilter, zone: str) -> Select:
    if filters.user_id is not None:
        query = query.where(AuditEvent.user_id == filters.user_id)
    if filters.patient_id is not None:
        query = query.where(AuditEvent.patient_id == filters.patient_id)
    if filters.action is not None:
        query = query.where(AuditEvent.action == filters.action)
    if filters.date_from is not None:
        query = query.where(AuditEvent.occurred_at >= _local_midnight_utc(filters.date_from, zone))
    if filters.date_to is not None and filters.date_to < LAST_BOUNDED_DAY:
        end = _local_midnight_utc(filters.date_to + timedelta(days=1), zone)
        query = query.where(AuditEvent.occurred_at < end)
    return query


def _page(query: Select, page: int, per_page: int) -> AuditPage:
    total = int(db.session.scalar(query.with_only_columns(func.count(AuditEvent.id))) or 0)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    actor, principal = aliased(User), aliased(User)
    rows = db.session.execute(
        query.add_columns(actor.full_name, principal.full_name)
        .outerjoin(actor, actor.id == AuditEvent.user_id)
        .outerjoin(principal, principal.id == AuditEvent.on_behalf_of_id)
        .order_by(AuditEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return AuditPage(
        rows=[
            AuditRow(
                id=event.id,
                occurred_at=event.occurred_at,
                action=event.action,
                outcome=event.outcome,
                user_name=user_name,
                on_behalf_of_name=behalf_name,
                patient_id=event.patient_id,
                object_type=event.object_type,
                object_id=event.object_id,
                endpoint=event.endpoint,
                client_address=event.client_address,
                detail=event.detail,
            )
            for event, user_name, behalf_name in rows
        ],
        page=page,
        pages=pages,
        total=total,
    )


def search_events(
    filters: AuditFilter, *, zone: str, page: int = 1, per_page: int = 50
) -> AuditPage:
    """The administrator's search over the whole trail, without clinical detail."""
    found = _page(_filtered(select(AuditEvent), filters, zone), page, per_page)
    return replace(found, rows=[for_administrator(row) for row in found.rows])


def patient_events(patient_id: int, *, page: int = 1, per_page: int = 50) -> AuditPage:
    """Everything recorded about one patient's record: who looked, changed or printed it."""
    return _page(select(AuditEvent).where(AuditEvent.patient_id == patient_id), page, per_page)
