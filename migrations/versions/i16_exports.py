"""Practice exports: background export jobs, and the practice-lead flag on therapist accounts.

- export_job: one row per run of the practice FHIR NDJSON or the research data set (issue 16),
  with its progress and the random name of the file it wrote under the instance folder.
- user_account.is_practice_lead: a therapist who may also open the practice outcomes page
  (aggregates only, no patient). False for every existing account; only a therapist may
  carry it. On SQLite the batch rebuild copies every account row.

Revision ID: i16_exports
Revises: i15_patient_bsn
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i16_exports'
down_revision = 'i15_patient_bsn'
branch_labels = None
depends_on = None


def upgrade():
    """Create export_job and add the practice-lead flag."""
    op.create_table('export_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=13), nullable=False),
    sa.Column('status', sa.String(length=7), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=80), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.CheckConstraint("kind IN ('fhir_practice', 'research')", name=op.f('ck_export_job_kind')),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_export_job_status')),
    sa.CheckConstraint("status <> 'done' OR (file_name <> '' AND finished_at IS NOT NULL)", name=op.f('ck_export_job_done_has_file')),
    sa.CheckConstraint('done >= 0 AND total >= 0 AND done <= total', name=op.f('ck_export_job_progress_range')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_export_job_requested_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_job'))
    )
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.create_index('ix_export_job_kind_created', ['kind', 'created_at'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_practice_lead', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_check_constraint(
            'practice_lead_is_therapist', "role = 'therapist' OR NOT is_practice_lead"
        )


def downgrade():
    """Drop the flag and the jobs (their files stay in the instance folder until removed)."""
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint('practice_lead_is_therapist', type_='check')
        batch_op.drop_column('is_practice_lead')

    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_index('ix_export_job_kind_created')

    op.drop_table('export_job')
