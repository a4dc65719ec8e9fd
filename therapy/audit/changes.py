"""Every create, update and delete of a clinical row becomes an audit event for its patient.

Which tables are clinical is worked out from the schema, not listed by hand: a table is
clinical when its foreign keys lead to `patient` (a goal → its episode → its patient). A table
added later is audited without anyone remembering to. Bulk UPDATE/DELETE statements run
through the ORM are covered too: the rows they are about to touch are looked up first.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table, event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from therapy.audit.events import PendingEvent, current_actor, note
from therapy.extensions import db
from therapy.models.enums import AuditAction

PATIENT_TABLE = "patient"
_NEW_KEY = "audit_new_objects"


def _class_for_table(table: Table) -> type[Any] | None:
    for mapper in db.Model.registry.mappers:  # type: ignore[attr-defined]
        if mapper.local_table is table:
            return mapper.class_  # type: ignore[no-any-return]
    return None


@cache
def parent_step(table: Table) -> tuple[str, Table] | None:
    """The foreign-key column that leads one step closer to `patient`, or None if none does."""
    return _parent_step(table, frozenset())


def _parent_step(table: Table, seen: frozenset[str]) -> tuple[str, Table] | None:
    # Required foreign keys first: a required parent is always there to follow.
    keys = sorted(table.foreign_keys, key=lambda fk: (fk.parent.nullable, fk.parent.name))
    for fk in keys:
        parent = fk.column.table
        if parent.name == PATIENT_TABLE:
            return fk.parent.name, parent
        if parent is table or parent.name in seen:
            continue
        if _parent_step(parent, seen | {table.name}) is not None:
            return fk.parent.name, parent
    return None


def is_clinical(table: Table) -> bool:
    """True for `patient` and every table whose rows belong to a patient."""
    return table.name == PATIENT_TABLE or parent_step(table) is not None


def patient_id_of(session: Session, obj: Any) -> int | None:
    """The id of the patient a clinical row belongs to, following its foreign keys."""
    table = obj.__table__
    while table.name != PATIENT_TABLE:
        step = parent_step(table)
        if step is None:
            return None
        column, parent_table = step
        key = inspect(obj).mapper.get_property_by_column(table.c[column]).key
        value = getattr(obj, key)
        if value is None:
            return None
        if parent_table.name == PATIENT_TABLE:
            return int(value)
        parent_class = _class_for_table(parent_table)
        obj = session.get(parent_class, value) if parent_class else None
        if obj is None:
            return None
        table = parent_table
    return int(obj.id)


def _object_id(obj: Any) -> int | None:
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return key[0] if len(key) == 1 and isinstance(key[0], int) else None


def _note_change(session: Session, action: AuditAction, obj: Any) -> None:
    patient_id = patient_id_of(session, obj)
    if patient_id is None:
        return
    object_id = _object_id(obj)
    note(
        session,
        PendingEvent(action, current_actor(), patient_id, obj.__table__.name, object_id),
    )


def _columns_changed(obj: Any) -> bool:
    """True when a stored value changed (attaching a child row is the child's own event)."""
    state = inspect(obj)
    return any(state.attrs[attr.key].history.has_changes() for attr in state.mapper.column_attrs)


def _orphans(session: Session) -> list[Any]:
    """Stored rows taken off a delete-orphan relationship: the flush deletes them without
    their ever being in session.deleted (a session's check-in set to None, a technique
    unticked)."""
    found = []
    for obj in session.dirty:
        state = inspect(obj)
        for relationship in state.mapper.relationships:
            if not relationship.cascade.delete_orphan:
                continue
            for child in state.attrs[relationship.key].history.deleted or ():
                if child is not None and inspect(child).persistent and child not in found:
                    found.append(child)
    return found


def _before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    deleted = list(session.deleted)
    deleted += [obj for obj in _orphans(session) if obj not in session.deleted]
    for obj in deleted:
        if is_clinical(obj.__table__):
            _note_change(session, AuditAction.DELETE, obj)
    for obj in session.dirty:
        if is_clinical(obj.__table__) and _columns_changed(obj):
            _note_change(session, AuditAction.UPDATE, obj)
    # New rows get their ids (and parents' ids) during the flush: resolve them afterwards.
    new = [obj for obj in session.new if is_clinical(obj.__table__)]
    if new:
        session.info.setdefault(_NEW_KEY, []).extend(new)


def _after_flush_postexec(session: Session, _context: UOWTransaction) -> None:
    # After the flush has settled, new rows are in the identity map with their ids, so
    # following their parents does not load a second copy of a row flushed a moment ago.
    for obj in session.info.pop(_NEW_KEY, []):
        _note_change(session, AuditAction.CREATE, obj)


def _forget_new(session: Session) -> None:
    session.info.pop(_NEW_KEY, None)


def _bulk_statement(state: ORMExecuteState) -> None:
    """Note the rows an ORM bulk UPDATE or DELETE is about to change."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    mapper = state.bind_mapper
    if not isinstance(mapper.local_table, Table) or not is_clinical(mapper.local_table):
        return
    where = state.statement.whereclause  # type: ignore[attr-defined]
    query = select(mapper.class_) if where is None else select(mapper.class_).where(where)
    action = AuditAction.UPDATE if state.is_update else AuditAction.DELETE
    for obj in state.session.scalars(query.execution_options(populate_existing=False)):
        _note_change(state.session, action, obj)


def install_change_hooks(session_class: type[Session]) -> None:
    """Listen for clinical changes on every session of this class (once per process)."""
    if event.contains(session_class, "before_flush", _before_flush):
        return
    event.listen(session_class, "before_flush", _before_flush)
    event.listen(session_class, "after_flush_postexec", _after_flush_postexec)
    event.listen(session_class, "after_rollback", _forget_new)
    event.listen(session_class, "do_orm_execute", _bulk_statement)
