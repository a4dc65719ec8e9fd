"""Caseload pages kept in memory until patient data changes.

A therapist goes back to the caseload between every two things they do, and between two
visits usually nothing on it has changed. Working a page out (patients, latest episodes,
sessions, badges) takes several queries; checking whether anything changed takes one.

What "changed" means: every create, update and delete of a clinical row writes an audit
event in the same transaction (therapy.audit.changes, SECURITY.md promise 9), naming the
row's table, so the newest such event on a table the caseload reads is a change mark, in
every worker. (Autosaved drafts are clinical rows too, written every 30 s while someone
types; they are not on the caseload, so they do not count.) Appends to the trail are
serialised until commit (advisory lock on PostgreSQL, the write lock on SQLite), so the
marks become visible in the order they were made. The PHQ-15 change settings (the practice's,
not patient data) are part of the key too. A page is kept under the mark and settings it was
read with. A
busy practice changes something every few seconds, so a newer mark alone does not make a
therapist's kept page stale: the events between the page's mark and the newest one are
looked at (a range of the trail's primary key, a few rows between two visits), and the page
is worked out again only when one of them changed a row of one of this therapist's
patients, or the therapist's number of patients changed (a patient moved to another
therapist leaves no event on the first one's patients). Otherwise the page is kept under
the newer mark. A gap too long to look through (MAX_GAP events) counts as a change.

When a worker sees a newer mark under which a patient was deleted or a record destroyed,
it drops every page it kept, so a record destroyed at the patient's request stays in no
worker's memory past that worker's next caseload page (the destroying worker drops its
pages at once: `forget_kept_pages`).

The marks only grow while the database lives on; after restoring a backup into it, restart
the server (as the README says), so no page kept from before is shown.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    select,
    union_all,
)

from therapy.extensions import db
from therapy.models import (
    AllianceCheckin,
    AuditEvent,
    Document,
    Goal,
    GoalRating,
    Patient,
    Phq15Administration,
    Practice,
    SelfReportRequest,
    TherapySession,
    TreatmentEpisode,
)
from therapy.models.enums import AuditAction

T = TypeVar("T")

# Pages kept per worker; a page is a few kilobytes of plain values.
KEEP_PAGES = 512
CHANGES = (AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE)
# Every table a caseload line is made from (therapy.services.caseload.page, caseload_badges).
SOURCES = tuple(
    model.__tablename__
    for model in (
        Patient,
        TreatmentEpisode,
        TherapySession,
        Goal,
        GoalRating,
        AllianceCheckin,
        Phq15Administration,
        Document,
        SelfReportRequest,  # the 'asked, not answered' badge
    )
)


def _constant(name: str) -> ColumnElement[str]:
    """A name of ours (an action, a table) written into the SQL as a string."""
    if not name.isidentifier():
        raise ValueError(f"not a plain name: {name!r}")
    return literal_column(f"'{name}'", String)


def _mark_statement() -> Select[tuple[Any, ...]]:
    # One max() per action and table: each is one step down ix_audit_event_change on both
    # databases, however long the trail. The action and table are written into the SQL, not
    # sent as parameters: PostgreSQL's plan for a prepared statement it has run often (psycopg
    # prepares it on the fifth run) would otherwise not know them, and walk the whole trail
    # backwards by id for a pair that is rare (about a second on 300,000 events).
    per_table = (
        select(func.max(AuditEvent.id).label("id")).where(
            AuditEvent.action == _constant(action.value),
            AuditEvent.object_type == _constant(table),
        )
        for action in CHANGES
        for table in SOURCES
    )
    newest = union_all(*per_table).subquery()
    first_practice = select(Practice).order_by(Practice.id).limit(1).subquery()
    # The looks through the gaps, in the same snapshot: every change they can find is at or
    # below the newest change above, so the ranges need no upper bound of their own.
    # (Joined to the patient, not `patient_id IN (this therapist's patients)`: the few events
    # in the gap are found first, and only their patients are looked up.)
    mine = (
        select(AuditEvent.id)
        .join(Patient, Patient.id == AuditEvent.patient_id)
        .where(
            AuditEvent.id > bindparam("mine_after", type_=Integer),
            AuditEvent.id <= bindparam("mine_upto", type_=Integer),
            AuditEvent.action.in_([_constant(action.value) for action in CHANGES]),
            AuditEvent.object_type.in_([_constant(table) for table in SOURCES]),
            Patient.therapist_id == bindparam("therapist_id"),
        )
    )
    destroyed = select(AuditEvent.id).where(
        AuditEvent.id > bindparam("gone_after", type_=Integer),
        AuditEvent.id <= bindparam("gone_upto", type_=Integer),
        AuditEvent.action == _constant(AuditAction.DELETE.value),
        AuditEvent.object_type == _constant(Patient.__tablename__),
    )
    return select(
        select(func.max(newest.c.id)).scalar_subquery(),
        select(first_practice.c.phq15_mcid).scalar_subquery(),
        select(first_practice.c.phq15_sd).scalar_subquery(),
        select(first_practice.c.phq15_alpha).scalar_subquery(),
        select(func.count(Patient.id))
        .where(Patient.therapist_id == bindparam("therapist_id"))
        .scalar_subquery(),
        mine.limit(1).exists(),
        destroyed.limit(1).exists(),
    )


_MARK = _mark_statement()
# Longer gaps between a kept page and the newest change are not looked through.
MAX_GAP = 20_000


def _gap(after: int | None) -> tuple[int, int]:
    """The range of ids after `after` that is looked through (none without an `after`)."""
    return (after, after + MAX_GAP) if after is not None else (0, 0)


def change_mark(
    therapist_id: int | None = None, kept_at: int | None = None, seen: int | None = None
) -> tuple[tuple[Any, ...], bool, bool]:
    """In one query (one snapshot): the mark, that is the newest change to patient data, the
    practice's PHQ-15 settings and the number of the therapist's patients; whether a row of
    this therapist's patients changed in the gap after `kept_at`; whether a patient was
    deleted or a record destroyed in the gap after `seen`."""
    mine_after, mine_upto = _gap(kept_at)
    gone_after, gone_upto = _gap(seen)
    row = db.session.execute(
        _MARK,
        {
            "therapist_id": therapist_id,
            "mine_after": mine_after,
            "mine_upto": mine_upto,
            "gone_after": gone_after,
            "gone_upto": gone_upto,
        },
    ).one()
    return tuple(row[:5]), bool(row[5]), bool(row[6])


@dataclass(frozen=True)
class _Kept:
    mark: tuple[Any, ...]
    page: Any


class PageCache:
    """A bounded, thread-safe map from a page's key to the page, oldest use dropped first."""

    def __init__(self, size: int = KEEP_PAGES) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, _Kept] = OrderedDict()
        self._lock = threading.Lock()
        self.seen: Any = None  # the newest change id this worker has looked at

    def get(self, key: Hashable) -> _Kept | None:
        """The kept entry for the key, if any."""
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
            return kept

    def put(self, key: Hashable, kept: _Kept) -> None:
        """Keep the entry, dropping the least recently used beyond the size."""
        with self._lock:
            self._pages[key] = kept
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        """Forget every page."""
        with self._lock:
            self._pages.clear()


def _kept_pages() -> PageCache:
    """This app's pages (one app per worker; a new app, as in each test, starts empty)."""
    kept = current_app.extensions.get("caseload_pages")
    if kept is None:
        kept = current_app.extensions["caseload_pages"] = PageCache()
    return kept  # type: ignore[no-any-return]


def kept_caseload_page(key: tuple[Hashable, ...], make: Callable[[], T]) -> T:
    """What `make` gives for this key (therapist, locale, the page asked for), made again only
    when this therapist's patient data, patients or the PHQ-15 settings changed since."""
    therapist_id = int(key[0])  # type: ignore[call-overload]
    pages = _kept_pages()
    kept = pages.get(key)
    kept_at = kept.mark[0] if kept is not None else None
    seen = pages.seen
    mark, mine, destroyed = change_mark(therapist_id, kept_at, seen)
    if kept is not None and kept.mark == mark:
        return kept.page  # type: ignore[no-any-return]
    upto = mark[0] or 0
    # Only the change id moved: the gap was looked through for this therapist's patients.
    look_mine = (
        kept is not None
        and kept.mark[1:] == mark[1:]
        and kept_at is not None
        and 0 < upto - kept_at <= MAX_GAP
    )
    if seen is not None and upto - seen > MAX_GAP:
        # Too long to look through: drop everything, as after a destruction.
        destroyed = True
    if destroyed:
        pages.clear()
    if seen is None or upto > seen:
        pages.seen = upto
    if kept is not None and look_mine and not mine and not destroyed:
        pages.put(key, _Kept(mark, kept.page))  # nothing on this caseload changed
        return kept.page  # type: ignore[no-any-return]
    page = make()
    pages.put(key, _Kept(mark, page))
    return page


def forget_kept_pages() -> None:
    """Drop every page this worker keeps (after a destruction; other workers drop theirs at
    their next caseload page, when they see the destruction's change mark)."""
    _kept_pages().clear()
