"""Filling every free-text column of the database, for stored XSS and template injection tests.

Generic over the schema: a text column added later is filled too. Audit rows cannot be
changed (the database refuses), so for them a new event carrying the text is appended.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import JSON, Enum, String, Table, Text, select, update

from therapy.audit.chain import Actor, record_event
from therapy.extensions import db
from therapy.models.enums import AuditAction

# Secrets, hashes and machine formats: not text anyone types or reads.
NOT_TEXT = {
    ("user_account", "password_hash"),
    ("user_account", "session_token"),
    ("user_account", "totp_secret_encrypted"),
    ("document", "sha256"),
    # Language codes, checked by the database against the product's languages.
    ("practice", "language"),
    ("user_account", "language"),
    ("audit_redaction", "redacted_hash"),
    # Nine digits, checked by the database (the eleven-test is the form's).
    ("patient", "bsn"),
    # A register's code ("" / BIG / KRP), chosen from a list, never typed.
    ("user_account", "registration_register"),
}
APPEND_ONLY = "audit_event"
SKIP_TABLES = {"user_session", "recovery_code", "login_failure", "alembic_version"}


# fill_fields appends " r<n>" to a unique column's value, one row number each.
UNIQUE_SUFFIX_ROOM = 4


def _all_text_fields() -> list[tuple[Table, str, int | None]]:
    """Every (table, column, maximum length) holding free text; None means unlimited."""
    fields = []
    for table in db.metadata.sorted_tables:
        if table.name in SKIP_TABLES:
            continue
        for column in table.columns:
            kind = column.type
            if not isinstance(kind, String | Text) or isinstance(kind, Enum | JSON):
                continue
            if (table.name, column.name) in NOT_TEXT or column.primary_key or column.foreign_keys:
                continue
            fields.append((table, column.name, kind.length))
    return fields


def text_fields(min_length: int) -> list[tuple[Table, str]]:
    """Every (table, column) holding free text with room for min_length characters."""
    return [
        (table, name)
        for table, name, length in _all_text_fields()
        if length is None or length >= min_length
    ]


def room_of(table: Table, name: str) -> int | None:
    """How many characters a stored value may use (None: unlimited); see UNIQUE_SUFFIX_ROOM."""
    length = table.c[name].type.length  # type: ignore[attr-defined]
    if length is None:
        return None
    return int(length) - (UNIQUE_SUFFIX_ROOM if is_unique(table, name) else 0)


def short_text_fields(below: int) -> list[tuple[Table, str, int]]:
    """Every (table, column, room) holding free text with room for fewer than below characters.

    The room is what a stored value may use: a unique column keeps space for the row suffix.
    """
    return [
        (table, name, length - (UNIQUE_SUFFIX_ROOM if is_unique(table, name) else 0))
        for table, name, length in _all_text_fields()
        if length is not None and length < below
    ]


def is_unique(table: Table, column: str) -> bool:
    """True when the column's values must differ from row to row."""
    return bool(table.c[column].unique) or any(
        len(c.columns) == 1 and column in c.columns
        for c in table.constraints
        if c.__class__.__name__ == "UniqueConstraint"
    )


def fill_fields(
    fields: list[tuple[Table, str]], value_for: Callable[[int], str], user_id: int
) -> None:
    """Put value_for(i) into field i of every row (unique columns get a row suffix)."""
    audit_values: dict[str, str] = {}
    for index, (table, column) in enumerate(fields):
        value = value_for(index)
        if table.name == APPEND_ONLY:
            audit_values[column] = value
            continue
        keys = list(table.primary_key.columns)
        unique = is_unique(table, column)
        for n, row in enumerate(db.session.execute(select(*keys)).all()):
            condition = [key == key_value for key, key_value in zip(keys, row, strict=True)]
            stored = f"{value} r{n}" if unique else value
            db.session.execute(update(table).where(*condition).values({column: stored}))
    actor = Actor(
        user_id=user_id,
        endpoint=audit_values.get("endpoint", ""),
        client_address=audit_values.get("client_address", ""),
    )
    record_event(
        AuditAction.SEARCH,
        actor=actor,
        object_type=audit_values.get("object_type", ""),
        detail=audit_values.get("detail", ""),
    )
    db.session.commit()
