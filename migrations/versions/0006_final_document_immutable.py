"""A final document cannot be changed or deleted, in the database itself (DOMAIN.md §4).

A finalised or sent document is a medical record: its PDF, hash, snapshot, status and every
other column stay as they were finalised; only sent_at (when it was sent) may still be set.
Triggers refuse the UPDATE of any other column of a final row, and its DELETE, whoever
connects. Drafts are not affected, and finalising (a draft row becoming final) is allowed.
As for audit_event, a PostgreSQL superuser can still disable the trigger; the stored SHA-256
is checked before a final PDF is served. TRUNCATE does not fire row triggers (the test suite
empties tables with it). A later SQLite table rebuild of `document` drops these triggers and
must create them again.

Revision ID: 6377597071fc
Revises: 91e3b097892d
Create Date: 2026-11-23
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = '6377597071fc'
down_revision = '91e3b097892d'
branch_labels = None
depends_on = None

UPDATE_MESSAGE = 'a final document cannot be changed; make a correction (a new version)'
DELETE_MESSAGE = 'a final document cannot be deleted'
# Every column but sent_at. JSON has no equality operator on PostgreSQL: compared as text.
COLUMNS = (
    'id', 'episode_id', 'kind', 'version', 'status', 'supersedes_id', 'content', 'snapshot',
    'pdf', 'sha256', 'author_id', 'created_at', 'finalised_at',
)
JSON_COLUMNS = ('content', 'snapshot')


def _changed(null_safe_differs):
    """The SQL condition "some protected column differs between OLD and NEW"."""
    return ' OR '.join(null_safe_differs(column) for column in COLUMNS)


def upgrade():
    """Install the refusing triggers for the current backend."""
    if op.get_bind().dialect.name == 'postgresql':
        changed = _changed(
            lambda c: f'OLD.{c}::text IS DISTINCT FROM NEW.{c}::text'
            if c in JSON_COLUMNS
            else f'OLD.{c} IS DISTINCT FROM NEW.{c}'
        )
        op.execute(
            "CREATE FUNCTION document_final_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN "
            "IF TG_OP = 'DELETE' THEN "
            f"RAISE EXCEPTION '{DELETE_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; "
            "END IF; "
            f"IF {changed} THEN "
            f"RAISE EXCEPTION '{UPDATE_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; "
            "END IF; "
            "RETURN NEW; END $$"
        )
        op.execute(
            "CREATE TRIGGER document_final_immutable BEFORE UPDATE OR DELETE ON document "
            "FOR EACH ROW WHEN (OLD.status = 'final') "
            "EXECUTE FUNCTION document_final_refuse_change()"
        )
    else:
        changed = _changed(lambda c: f'NEW.{c} IS NOT OLD.{c}')
        op.execute(
            "CREATE TRIGGER document_final_no_update BEFORE UPDATE ON document "
            f"WHEN OLD.status = 'final' AND ({changed}) "
            f"BEGIN SELECT RAISE(ABORT, '{UPDATE_MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER document_final_no_delete BEFORE DELETE ON document "
            "WHEN OLD.status = 'final' "
            f"BEGIN SELECT RAISE(ABORT, '{DELETE_MESSAGE}'); END"
        )


def downgrade():
    """Remove the triggers (the rows stay)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS document_final_immutable ON document")
        op.execute("DROP FUNCTION IF EXISTS document_final_refuse_change()")
    else:
        op.execute("DROP TRIGGER IF EXISTS document_final_no_update")
        op.execute("DROP TRIGGER IF EXISTS document_final_no_delete")
