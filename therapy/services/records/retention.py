"""Records whose retention period has passed: 20 years since their last change (WGBO 7:454).

A record's last change is the newest timestamp of any of its rows (added, changed, edited,
finalised, sent, withdrawn), read from every table that holds part of a patient's record, as
erasure finds them; drafts do not count, since a draft is not part of the record. The
administrator sees these records and may propose their destruction, which then goes through
the same procedure as a patient's request (the therapist decides, for instance that keeping
the record longer is what a good care provider would do). Nothing is destroyed here, and
nothing is ever destroyed automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, FromClause, Select, Table, func, select, union_all
from sqlalchemy.orm import aliased

from therapy.audit.changes import PATIENT_TABLE, parent_step
from therapy.extensions import db
from therapy.models import DestructionRequest, FormDraft, Patient, User
from therapy.models.destruction import OPEN_STATUSES
from therapy.models.enums import DestructionStatus
from therapy.models.types import UTCDateTime
from therapy.services.records.erasure import clinical_tables

RETENTION_YEARS = 20
NOT_THE_RECORD = frozenset({FormDraft.__tablename__})


@dataclass(frozen=True)
class ExpiredRecord:
    """A record kept 20 years since its last change, with who decides about it."""

    patient_id: int
    record_number: str
    therapist_name: str
    therapist_active: bool
    last_change: datetime
    open_status: DestructionStatus | None


@dataclass(frozen=True)
class ExpiredPage:
    """A page of expired records, oldest change first, with what the pager needs."""

    records: list[ExpiredRecord]
    page: int
    pages: int
    total: int


def retention_ends(last_change: datetime) -> datetime:
    """The moment a record changed at `last_change` has been kept for 20 years."""
    try:
        return last_change.replace(year=last_change.year + RETENTION_YEARS)
    except ValueError:  # 29 February, in a year that has none
        return last_change.replace(year=last_change.year + RETENTION_YEARS, day=28)


def _retention_cutoff(now: datetime) -> datetime:
    """Records last changed at or before this moment have been kept 20 years by `now`."""
    try:
        return now.replace(year=now.year - RETENTION_YEARS)
    except ValueError:
        return now.replace(year=now.year - RETENTION_YEARS, day=28)


def _patient_of(table: Table) -> tuple[FromClause, ColumnElement[int]]:
    """The table joined up to the column that names its patient, and that column."""
    if table.name == PATIENT_TABLE:
        return table, table.c.id
    step = parent_step(table)
    if step is None:  # pragma: no cover - clinical tables always have a step
        raise ValueError(f"{table.name} does not belong to a patient")
    column_name, parent = step
    column = table.c[column_name]
    if parent.name == PATIENT_TABLE:
        return table, column
    target = next(fk.column for fk in column.foreign_keys if fk.column.table is parent)
    parent_from, patient_column = _patient_of(parent)
    return parent_from.join(table, column == target), patient_column


def last_changes() -> Select[tuple[int, datetime]]:
    """(patient id, newest timestamp of any row of the record), one row per patient."""
    parts = []
    for table in clinical_tables():
        if table.name in NOT_THE_RECORD:
            continue
        joined, patient_column = _patient_of(table)
        for column in table.columns:
            if isinstance(column.type, UTCDateTime):
                parts.append(
                    select(patient_column.label("patient_id"), column.label("changed_at"))
                    .select_from(joined)
                    .where(column.is_not(None))
                )
    stamps = union_all(*parts).subquery()
    return select(stamps.c.patient_id, func.max(stamps.c.changed_at).label("changed_at")).group_by(
        stamps.c.patient_id
    )


def expired_records(now: datetime, *, page: int = 1, per_page: int = 50) -> ExpiredPage:
    """The records whose 20 years have passed, oldest last change first."""
    last = last_changes().subquery()
    therapist = aliased(User)
    open_request = (
        select(DestructionRequest.status)
        .where(
            DestructionRequest.patient_id == Patient.id,
            DestructionRequest.status.in_(OPEN_STATUSES),
        )
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(
            Patient.id,
            Patient.record_number,
            therapist.full_name,
            therapist.is_active,
            last.c.changed_at,
            open_request,
            func.count().over(),
        )
        .join(last, last.c.patient_id == Patient.id)
        .join(therapist, therapist.id == Patient.therapist_id)
        .where(last.c.changed_at <= _retention_cutoff(now))
        .order_by(last.c.changed_at, Patient.id)
    )
    page = max(1, page)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    total = int(rows[0][-1]) if rows else 0
    return ExpiredPage(
        records=[
            ExpiredRecord(
                patient_id=row[0],
                record_number=row[1],
                therapist_name=row[2],
                therapist_active=bool(row[3]),
                last_change=row[4],
                open_status=DestructionStatus(row[5]) if row[5] else None,
            )
            for row in rows
        ],
        page=page,
        pages=max(1, -(-total // per_page)),
        total=total,
    )


def last_change_of(patient_id: int) -> datetime | None:
    """The last change of one record (None when there is no such record)."""
    last = last_changes().subquery()
    return db.session.scalar(select(last.c.changed_at).where(last.c.patient_id == patient_id))


def is_expired(patient_id: int, now: datetime) -> bool:
    """True when the record's 20 years have passed by `now`."""
    last = last_change_of(patient_id)
    return last is not None and retention_ends(last) <= now
