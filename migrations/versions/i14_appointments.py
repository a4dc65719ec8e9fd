"""Planned sessions: `appointment`, an episode's next sessions by day and time.

A series (weekly, fortnightly) is stored as its single appointments. A move keeps the day
moved from and a reason, a cancellation a reason (CHECK constraints).

Revision ID: i14_appointments
Revises: i14_screen_lock
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i14_appointments'
down_revision = 'i14_screen_lock'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'appointment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('episode_id', sa.Integer(), nullable=False),
        sa.Column('planned_on', sa.Date(), nullable=False),
        sa.Column('starts_at', sa.Time(), nullable=False),
        sa.Column(
            'status',
            sa.Enum('planned', 'cancelled', name='appointment_status', native_enum=False,
                    create_constraint=True, length=9),
            nullable=False,
        ),
        sa.Column('moved_from', sa.Date(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("planned_on >= '1900-01-01'", name=op.f('ck_appointment_planned_on_after_1900')),
        sa.CheckConstraint("status <> 'cancelled' OR reason <> ''", name=op.f('ck_appointment_cancelled_with_reason')),
        sa.CheckConstraint("moved_from IS NULL OR reason <> ''", name=op.f('ck_appointment_moved_with_reason')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_appointment_created_by_id_user_account')),
        sa.ForeignKeyConstraint(['episode_id'], ['treatment_episode.id'], name=op.f('fk_appointment_episode_id_treatment_episode'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment')),
    )
    op.create_index('ix_appointment_day', 'appointment', ['planned_on', 'starts_at'], unique=False)
    op.create_index('ix_appointment_episode_day', 'appointment', ['episode_id', 'planned_on'], unique=False)


def downgrade():
    op.drop_index('ix_appointment_episode_day', table_name='appointment')
    op.drop_index('ix_appointment_day', table_name='appointment')
    op.drop_table('appointment')
