"""A therapist's own text snippets: `text_snippet`, a short name and a phrase per account.

A new table only: nothing already stored changes. A name is unique per account (not across
the practice), and a deleted account takes its snippets with it.

Revision ID: i14_text_snippets
Revises: i19_record_numbers
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i14_text_snippets'
down_revision = 'i19_record_numbers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('text_snippet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("name <> ''", name=op.f('ck_text_snippet_name_given')),
    sa.CheckConstraint("text <> ''", name=op.f('ck_text_snippet_text_given')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_text_snippet_version_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_text_snippet_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_text_snippet')),
    sa.UniqueConstraint('user_id', 'name', name=op.f('uq_text_snippet_user_id_name'))
    )
    with op.batch_alter_table('text_snippet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_text_snippet_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('text_snippet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_text_snippet_user_id'))

    op.drop_table('text_snippet')
