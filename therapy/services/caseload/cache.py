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
read with; any change anywhere in the practice makes every kept page stale, which errs on
the side of working a page out again.

When a worker sees a newer mark it drops every page it kept under older ones, so a record
destroyed at the patient's request stays in no worker's memory past that worker's next
caseload page (the destroying worker drops its pages at once: `forget_kept_pages`).

The marks only grow while the database lives on; after restoring a backup into it, restart
the server (as the README says), so no page kept from before is shown.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import Select, func, select, union_all

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
    )
)


def _mark_statement() -> Select[tuple[int | None, int | None, float | None, float | None]]:
    # One max() per action and table: each is one step down ix_audit_event_change on both
    # databases, however long the trail.
    per_table = (
        select(func.max(AuditEvent.id).label("id")).where(
            AuditEvent.action == action, AuditEvent.object_type == table
        )
        for action in CHANGES
        for table in SOURCES
    )
    newest = union_all(*per_table).subquery()
    first_practice = select(Practice).order_by(Practice.id).limit(1).subquery()
    return select(
        select(func.max(newest.c.id)).scalar_subquery(),
        select(first_practice.c.phq15_mcid).scalar_subquery(),
        select(first_practice.c.phq15_sd).scalar_subquery(),
        select(first_practice.c.phq15_alpha).scalar_subquery(),
    )


_MARK = _mark_statement()


def change_mark() -> tuple[object, ...]:
    """The newest change to patient data and the practice's PHQ-15 settings, in one query."""
    row = db.session.execute(_MARK).one()
    return tuple(row)


class PageCache:
    """A bounded, thread-safe map from a page's key to the page, oldest use dropped first."""

    def __init__(self, size: int = KEEP_PAGES) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._mark: object = None

    def get_or_make(self, key: Hashable, make: Callable[[], T], mark: object = None) -> T:
        """The kept page for the key, or a new one made and kept.

        Given the current change mark, every page kept under another mark is dropped first:
        it would never be shown again, and it may hold a record destroyed since.
        """
        with self._lock:
            if mark is not None and mark != self._mark:
                self._pages.clear()
                self._mark = mark
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]  # type: ignore[no-any-return]
        page = make()
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return page

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
    when patient data or the PHQ-15 settings changed since it was kept."""
    mark = change_mark()
    return _kept_pages().get_or_make((*key, mark), make, mark)


def forget_kept_pages() -> None:
    """Drop every page this worker keeps (after a destruction; other workers drop theirs at
    their next caseload page, when they see the destruction's change mark)."""
    _kept_pages().clear()
