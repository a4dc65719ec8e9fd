"""A patient's own alliance check-in and PSFS rating can be voided with a reason (issue 13).

- `alliance_checkin` and `goal_rating` get `voided_at`, `voided_by_id`, `void_reason`, as
  `phq15_administration` has them: empty for every existing row (nothing is voided), with
  CHECKs that a void says who, when and why.
- One check-in per session and one rating per goal and session count only rows that are not
  voided (partial unique indexes on both databases), so the patient can answer again.

Revision ID: i13_void_checkin_and_rating
Revises: i14b_session_appointment
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i13_void_checkin_and_rating'
down_revision = 'i14b_session_appointment'
branch_labels = None
depends_on = None

_TABLES = ('alliance_checkin', 'goal_rating')
_CHECKIN_INDEX = 'uq_alliance_checkin_session_counted'
_RATING_INDEX = 'uq_goal_rating_goal_session'
_NOT_VOIDED = 'voided_at IS NULL'


def _add_void_columns(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        if table == 'alliance_checkin':
            batch_op.drop_constraint(op.f('uq_alliance_checkin_session_id'), type_='unique')
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(
            batch_op.f(f'fk_{table}_voided_by_id_user_account'), 'user_account', ['voided_by_id'], ['id']
        )
        batch_op.create_check_constraint(
            op.f(f'ck_{table}_void_has_who_and_when'), '(voided_at IS NULL) = (voided_by_id IS NULL)'
        )
        batch_op.create_check_constraint(
            op.f(f'ck_{table}_void_has_reason'), "voided_at IS NULL OR void_reason <> ''"
        )


def upgrade():
    """Add the columns (empty for existing rows) and narrow the unique indexes to counted rows."""
    op.drop_index(_RATING_INDEX, table_name='goal_rating')
    for table in _TABLES:
        _add_void_columns(table)
    op.create_index(
        _CHECKIN_INDEX,
        'alliance_checkin',
        ['session_id'],
        unique=True,
        sqlite_where=sa.text(_NOT_VOIDED),
        postgresql_where=sa.text(_NOT_VOIDED),
    )
    op.create_index(
        _RATING_INDEX,
        'goal_rating',
        ['goal_id', 'session_id'],
        unique=True,
        sqlite_where=sa.text(_NOT_VOIDED),
        postgresql_where=sa.text(_NOT_VOIDED),
    )


def downgrade():
    """Drop the columns again; refused while a check-in or rating is voided, which the older
    schema would count again as a valid answer (nothing clinical is deleted to go back)."""
    bind = op.get_bind()
    voided = {
        table: bind.execute(
            sa.text(f'SELECT count(*) FROM {table} WHERE voided_at IS NOT NULL')  # noqa: S608
        ).scalar_one()
        for table in _TABLES
    }
    if any(voided.values()):
        raise RuntimeError(
            f'{voided["alliance_checkin"]} voided check-in(s) and {voided["goal_rating"]} voided '
            'PSFS rating(s) would count again without their void: not downgraded'
        )
    op.drop_index(_CHECKIN_INDEX, table_name='alliance_checkin')
    op.drop_index(_RATING_INDEX, table_name='goal_rating')
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_void_has_reason'), type_='check')
            batch_op.drop_constraint(op.f(f'ck_{table}_void_has_who_and_when'), type_='check')
            batch_op.drop_constraint(
                batch_op.f(f'fk_{table}_voided_by_id_user_account'), type_='foreignkey'
            )
            batch_op.drop_column('void_reason')
            batch_op.drop_column('voided_by_id')
            batch_op.drop_column('voided_at')
            if table == 'alliance_checkin':
                batch_op.create_unique_constraint(
                    op.f('uq_alliance_checkin_session_id'), ['session_id']
                )
    op.create_index(_RATING_INDEX, 'goal_rating', ['goal_id', 'session_id'], unique=True)
