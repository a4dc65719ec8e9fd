"""The audit trail becomes append-only in the database itself (SECURITY.md promise 9).

Triggers refuse every UPDATE and DELETE of audit_event, whoever connects: the application,
a script, or someone at a SQL prompt. On PostgreSQL a superuser can still disable the
trigger; the hash chain (`flask audit verify`) detects what is changed that way.
TRUNCATE does not fire row triggers: the test suite empties tables between tests with it.

Revision ID: 5b8e0f3a9c1d
Revises: 121e060c08cb
Create Date: 2026-11-22
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = '5b8e0f3a9c1d'
down_revision = '121e060c08cb'
branch_labels = None
depends_on = None

MESSAGE = 'audit_event is append-only'


def upgrade():
    """Install the refusing triggers for the current backend."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()"
        )
    else:
        for event in ('UPDATE', 'DELETE'):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{event.lower()} BEFORE {event} ON audit_event "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def downgrade():
    """Remove the triggers (the rows stay)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_refuse_change()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
