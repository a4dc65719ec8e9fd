"""Compare-and-swap on a row's version: an edit made from a stale form never overwrites."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, update

from therapy.extensions import db


class StaleEdit(Exception):
    """The row changed after the form was rendered; nothing was saved."""


def claim_version(model: Any, obj: Any, expected: int | None) -> None:
    """Bump the row's version if it still is `expected`, or raise StaleEdit.

    A single UPDATE ... WHERE version = expected: on PostgreSQL a concurrent writer waits for
    the first to commit and then matches no row, so two saves from the same form version can
    never both win (an ORM version counter alone would not catch two sequential web saves).
    """
    if expected is None:
        raise StaleEdit()
    result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(model)
        .where(model.id == obj.id, model.version == expected)
        # In SQL, so a version no row has (a forged 2147483647) never overflows the column.
        .values(version=model.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleEdit()
    # Keep the loaded object in step with the row, so the flush that follows writes the same.
    obj.version = expected + 1
