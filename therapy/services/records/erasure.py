"""Remove a patient's record from every table that holds it, and the form state naming it.

Which tables hold a patient's record is read from the schema, as the audit trail does
(therapy.audit.changes): every table whose foreign keys lead to `patient`. A table added
later is emptied of the patient's rows without anyone remembering to. Rows go children
first, one DELETE per table, as plain SQL statements: the ORM is not asked (its guard of
final documents refuses any delete, and its change hooks would put one audit event per row
on the trail, which must not say what was destroyed). The database's own guard lets the
final documents go only while the patient's destruction request is being carried out.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, delete, or_, select

from therapy.audit.changes import PATIENT_TABLE, is_clinical, parent_step
from therapy.extensions import db
from therapy.models import FormDraft, FormSubmission


def clinical_tables() -> list[Table]:
    """Every table holding part of a patient's record, children before their parents."""
    return [table for table in reversed(db.metadata.sorted_tables) if is_clinical(table)]


def belongs_to(table: Table, patient_id: int) -> ColumnElement[bool]:
    """The condition "this row is part of the patient's record", up the foreign keys."""
    if table.name == PATIENT_TABLE:
        return table.c.id == patient_id
    step = parent_step(table)
    if step is None:  # pragma: no cover - clinical tables always have a step
        raise ValueError(f"{table.name} does not belong to a patient")
    column_name, parent = step
    column = table.c[column_name]
    target = next(fk.column for fk in column.foreign_keys if fk.column.table is parent)
    if parent.name == PATIENT_TABLE:
        return column == patient_id
    return column.in_(select(target).where(belongs_to(parent, patient_id)))


def erase_record(patient_id: int) -> int:
    """Delete every row of the patient's record in every clinical table; how many went."""
    removed = 0
    for table in clinical_tables():
        result = db.session.execute(delete(table).where(belongs_to(table, patient_id)))
        removed += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return removed + erase_form_state(patient_id)


def _names_patient_page(column: ColumnElement[str], patient_id: int) -> ColumnElement[bool]:
    """A stored address of one of the patient's pages (/patients/7, /patients/7/...)."""
    page = f"/patients/{patient_id}"
    return or_(
        column.like(f"%{page}"),
        *(column.like(f"%{page}{boundary}%") for boundary in ("/", "?", "#")),
    )


def erase_form_state(patient_id: int) -> int:
    """Drafts and used form keys of the patient's pages, whoever's they are (as plain SQL:
    a draft is clinical, and the ORM would list each one on the trail)."""
    drafts: Table = FormDraft.__table__
    keys: Table = FormSubmission.__table__
    removed_drafts = db.session.execute(
        delete(drafts).where(
            or_(drafts.c.patient_id == patient_id, _names_patient_page(drafts.c.path, patient_id))
        )
    )
    removed_keys = db.session.execute(
        delete(keys).where(
            or_(
                _names_patient_page(keys.c.path, patient_id),
                _names_patient_page(keys.c.result_url, patient_id),
            )
        )
    )
    return int(removed_drafts.rowcount or 0) + int(removed_keys.rowcount or 0)  # type: ignore[attr-defined]
