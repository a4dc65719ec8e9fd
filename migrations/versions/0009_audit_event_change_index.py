"""An index on audit_event (action, object_type, id): the latest change to a table, at once.

The caseload keeps pages in memory until patient data changes (therapy.services.
caseload_cache); every change is an audit event of its own (create, update or delete) naming
its table, so the newest such event on the caseload's tables is the mark of "something
changed". With this index each action's and table's newest event is one step down the index
instead of a scan of the whole trail.

Revision ID: 3c1f0e2a7d54
Revises: 05138cdbe0a6
Create Date: 2026-12-01
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = '3c1f0e2a7d54'
down_revision = '05138cdbe0a6'
branch_labels = None
depends_on = None


def upgrade():
    """Add the index (the trail's rows are untouched: it only refuses UPDATE and DELETE)."""
    op.create_index('ix_audit_event_change', 'audit_event', ['action', 'object_type', 'id'])


def downgrade():
    """Drop the index."""
    op.drop_index('ix_audit_event_change', table_name='audit_event')
