"""Form drafts and used form keys: nothing typed is lost, nothing is saved twice.

`form_draft` keeps the last autosaved fields of an open clinical form per account and form
address until the form is saved; `form_submission` remembers each rendered form's key once
it saved, so a double submit saves nothing. New tables only: no existing table is rebuilt,
so no row can be lost.

Revision ID: 91e3b097892d
Revises: 9fa95f426893
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '91e3b097892d'
down_revision = '9fa95f426893'
branch_labels = None
depends_on = None


def upgrade():
    """Create form_submission and form_draft with their indexes."""
    op.create_table('form_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('form_key', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('result_url', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_form_submission_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_submission')),
    sa.UniqueConstraint('user_id', 'form_key', name=op.f('uq_form_submission_user_id_form_key'))
    )
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.create_index('ix_form_submission_created', ['created_at'], unique=False)

    op.create_table('form_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(fields) <= 1000000', name=op.f('ck_form_draft_fields_size')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_form_draft_patient_id_patient'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_form_draft_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_draft')),
    sa.UniqueConstraint('user_id', 'path', name=op.f('uq_form_draft_user_id_path'))
    )
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.create_index('ix_form_draft_patient', ['patient_id'], unique=False)


def downgrade():
    """Drop both tables (kept drafts and used keys are working state, not the record)."""
    with op.batch_alter_table('form_draft', schema=None) as batch_op:
        batch_op.drop_index('ix_form_draft_patient')
    op.drop_table('form_draft')
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.drop_index('ix_form_submission_created')
    op.drop_table('form_submission')
