"""TRUNCATE of audit_event is refused too (PostgreSQL).

Row triggers (0003) do not fire on TRUNCATE, so `TRUNCATE audit_event` (or a TRUNCATE of
user_account ... CASCADE, which reaches audit_event through its foreign keys) would empty the
trail in one statement. A statement trigger refuses it with the same function as 0003. SQLite
has no TRUNCATE: its DELETE trigger already covers `DELETE FROM audit_event`.

Revision ID: 05138cdbe0a6
Revises: 538d0338a95b
Create Date: 2026-11-23
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = '05138cdbe0a6'
down_revision = '538d0338a95b'
branch_labels = None
depends_on = None


def upgrade():
    """Install the statement trigger on PostgreSQL; nothing to do on SQLite."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()"
        )


def downgrade():
    """Remove the statement trigger (TRUNCATE works again)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
