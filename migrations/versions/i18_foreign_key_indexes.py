"""Each link from one clinical row to another is indexed on its own (issue 18).

The partial unique index that issue 13 gave `alliance_checkin.session_id` serves only the
counted check-ins, so the episode page's join of sessions to their check-ins read every
check-in of the practice (33 ms of an episode page at 10,000 patients on PostgreSQL).
`formulation_revision.session_id` and `self_report_request.phq15_administration_id` had no
index at all: removing a session or a PHQ-15 (a record destroyed) read the whole table for
each one to set the link to NULL.

Revision ID: i18_foreign_key_indexes
Revises: i13_void_checkin_and_rating
Create Date: 2026-12-03
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = 'i18_foreign_key_indexes'
down_revision = 'i13_void_checkin_and_rating'
branch_labels = None
depends_on = None

_INDEXES = (
    ('alliance_checkin', 'session_id'),
    ('formulation_revision', 'session_id'),
    ('self_report_request', 'phq15_administration_id'),
)


def upgrade():
    """Add the indexes (rows are untouched)."""
    for table, column in _INDEXES:
        op.create_index(op.f(f'ix_{table}_{column}'), table, [column], unique=False)


def downgrade():
    """Drop them again."""
    for table, column in _INDEXES:
        op.drop_index(op.f(f'ix_{table}_{column}'), table_name=table)
