"""A GP's details can be corrected, and a patient's own PHQ-15 can be voided with a reason.

- `general_practitioner.version`: the compare-and-swap counter of the new GP form (1 for
  every existing GP).
- `phq15_administration.voided_at`, `voided_by_id`, `void_reason`: empty for every existing
  row (nothing is voided); CHECKs that a void says who, when and why.
- The one-per-timepoint-and-day index counts only PHQ-15s that are not voided, so a voided
  one leaves room for its retake (a partial index on both databases).

Revision ID: i15_gp_version_and_void
Revises: i14_text_snippets
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i15_gp_version_and_void'
down_revision = 'i14_text_snippets'
branch_labels = None
depends_on = None

_INDEX = 'uq_phq15_administration_episode_timepoint_day'
_INDEX_COLUMNS = ['episode_id', 'timepoint', 'administered_on']


def upgrade():
    """Add the columns (empty or 1 for existing rows) and narrow the unique index."""
    with op.batch_alter_table('general_practitioner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_check_constraint(op.f('ck_general_practitioner_version_positive'), 'version >= 1')
    op.drop_index(_INDEX, table_name='phq15_administration')
    with op.batch_alter_table('phq15_administration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(
            batch_op.f('fk_phq15_administration_voided_by_id_user_account'),
            'user_account',
            ['voided_by_id'],
            ['id'],
        )
        batch_op.create_check_constraint(
            op.f('ck_phq15_administration_void_has_who_and_when'),
            '(voided_at IS NULL) = (voided_by_id IS NULL)',
        )
        batch_op.create_check_constraint(
            op.f('ck_phq15_administration_void_has_reason'), "voided_at IS NULL OR void_reason <> ''"
        )
    op.create_index(
        _INDEX,
        'phq15_administration',
        _INDEX_COLUMNS,
        unique=True,
        sqlite_where=sa.text('voided_at IS NULL'),
        postgresql_where=sa.text('voided_at IS NULL'),
    )


def downgrade():
    """Drop the columns again; refused while a PHQ-15 is voided, which the older schema would
    count again as a valid answer (nothing clinical is deleted to go back)."""
    voided = op.get_bind().execute(
        sa.text('SELECT count(*) FROM phq15_administration WHERE voided_at IS NOT NULL')
    ).scalar_one()
    if voided:
        raise RuntimeError(
            f'{voided} voided PHQ-15(s) would count again without their void: not downgraded'
        )
    op.drop_index(_INDEX, table_name='phq15_administration')
    with op.batch_alter_table('phq15_administration', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_phq15_administration_void_has_reason'), type_='check')
        batch_op.drop_constraint(
            op.f('ck_phq15_administration_void_has_who_and_when'), type_='check'
        )
        batch_op.drop_constraint(
            batch_op.f('fk_phq15_administration_voided_by_id_user_account'), type_='foreignkey'
        )
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_by_id')
        batch_op.drop_column('voided_at')
    op.create_index(_INDEX, 'phq15_administration', _INDEX_COLUMNS, unique=True)
    with op.batch_alter_table('general_practitioner', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_general_practitioner_version_positive'), type_='check')
        batch_op.drop_column('version')
