"""Amendments: notes added to a closed episode, which itself stays as it was closed.

A closed episode is part of the medical record; a correction or addition is a new row here
(author, time, what it concerns, the text), never an edit of the original. A new table only,
so no existing table is rebuilt and no row can be lost.

Revision ID: 9fa95f426893
Revises: 5b8e0f3a9c1d
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9fa95f426893'
down_revision = '5b8e0f3a9c1d'
branch_labels = None
depends_on = None


def upgrade():
    """Create the amendment table and its per-episode index."""
    op.create_table('amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.CheckConstraint('length(text) > 0', name=op.f('ck_amendment_text_not_empty')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_amendment_author_id_user_account')),
    sa.ForeignKeyConstraint(['episode_id'], ['treatment_episode.id'], name=op.f('fk_amendment_episode_id_treatment_episode'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment'))
    )
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.create_index('ix_amendment_episode_created', ['episode_id', 'created_at'], unique=False)


def downgrade():
    """Drop the amendment table (and with it every amendment)."""
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_index('ix_amendment_episode_created')

    op.drop_table('amendment')
