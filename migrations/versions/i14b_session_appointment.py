"""A logged session says which planned session (appointment) it was logged for.

- `therapy_session.appointment_id`: empty for every existing session (none was logged from
  an appointment before); the link empties itself when the appointment is deleted
  (ON DELETE SET NULL).
- At most one session per appointment: a unique index on the column where it is set (a
  partial index on both databases, like the PHQ-15 void's).

Going back drops the links only: every session and appointment stays; the older schema then
shows a logged appointment as still to do, as it did before.

Revision ID: i14b_session_appointment
Revises: i15_gp_version_and_void
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i14b_session_appointment'
down_revision = 'i15_gp_version_and_void'
branch_labels = None
depends_on = None

_INDEX = 'uq_therapy_session_appointment'
_FOREIGN_KEY = 'fk_therapy_session_appointment_id_appointment'


def upgrade():
    """Add the empty column, its foreign key and its partial unique index."""
    with op.batch_alter_table('therapy_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appointment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            _FOREIGN_KEY, 'appointment', ['appointment_id'], ['id'], ondelete='SET NULL'
        )
    op.create_index(
        _INDEX,
        'therapy_session',
        ['appointment_id'],
        unique=True,
        sqlite_where=sa.text('appointment_id IS NOT NULL'),
        postgresql_where=sa.text('appointment_id IS NOT NULL'),
    )


def downgrade():
    """Drop the index, the foreign key and the column (the links, nothing else)."""
    op.drop_index(_INDEX, table_name='therapy_session')
    with op.batch_alter_table('therapy_session', schema=None) as batch_op:
        batch_op.drop_constraint(_FOREIGN_KEY, type_='foreignkey')
        batch_op.drop_column('appointment_id')
