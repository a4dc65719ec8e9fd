"""Letterhead and identifiers on the documents, and the close form's advice split in two.

- `practice`: postcode, town, e-mail and AGB code next to the existing name, address and phone
  (the sender's letterhead, DOMAIN.md §8).
- `user_account`: the therapist's AGB code and the register of the registration number
  (BIG or Kwaliteitsregister Paramedici: 'big' or 'krp'), empty where not known.
- `treatment_episode.advice_patient`: advice for the patient, beside `advice`, which from now
  on is the advice for the GP (existing advice, written for both, stays where the letter
  already printed it: for the GP).

Every new column is empty (or NULL) for existing rows, so every row stays valid; on SQLite the
batch rebuild copies every row.

Revision ID: i15_letterhead_and_advice
Revises: i19_login_sessions
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i15_letterhead_and_advice'
down_revision = 'i19_login_sessions'
branch_labels = None
depends_on = None


def upgrade():
    """Add the letterhead, identifier and advice columns, all empty for existing rows."""
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('postcode', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('town', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('email', sa.String(length=254), server_default='', nullable=False))
        batch_op.add_column(sa.Column('agb_code', sa.String(length=8), server_default='', nullable=False))
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('registration_register', sa.String(length=3), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('agb_code', sa.String(length=8), server_default='', nullable=False))
    with op.batch_alter_table('treatment_episode', schema=None) as batch_op:
        batch_op.add_column(sa.Column('advice_patient', sa.Text(), server_default='', nullable=False))


def downgrade():
    """Drop the new columns (what was typed in them is lost with them)."""
    # Not a batch rebuild: the final-document triggers name treatment_episode, and SQLite
    # (3.35 and later) drops a plain column in place, as PostgreSQL does.
    op.execute('ALTER TABLE treatment_episode DROP COLUMN advice_patient')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('agb_code')
        batch_op.drop_column('registration_register')
    with op.batch_alter_table('practice', schema=None) as batch_op:
        batch_op.drop_column('agb_code')
        batch_op.drop_column('email')
        batch_op.drop_column('town')
        batch_op.drop_column('postcode')
