"""The patient's own answers: what a patient is asked, and who gave each answer.

A new table, self_report_request (a set of questionnaires a therapist asks the patient to
answer on a handed-over device or by a personal link; the link's token is kept only as its
SHA-256). The answers of a PHQ-15, an alliance check-in and a PSFS rating get their source
(therapist from paper, patient on the clinic's device, patient by link); every existing row
was typed by a therapist from paper, which the server default says. A login that is handed
over names the request it shows (user_session.handover_request_id, no foreign key, so the
login table stays out of the clinical audit).

Revision ID: i13_self_report
Revises: i17_record_destruction
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'i13_self_report'
down_revision = 'i17_record_destruction'
branch_labels = None
depends_on = None

SOURCES = ('therapist_paper', 'patient_device', 'patient_link')
TIMEPOINTS = (
    'baseline', 'session', 'end_of_treatment', 'follow_up_4m', 'follow_up_12m', 'other'
)
SOURCE_TABLES = ('phq15_administration', 'alliance_checkin', 'goal_rating')


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def upgrade():
    """Create self_report_request; add the answers' source and the handed-over login."""
    op.create_table(
        'self_report_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('episode_id', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=6), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('phq15_timepoint', sa.String(length=16), nullable=True),
        sa.Column('phq15_session_id', sa.Integer(), nullable=True),
        sa.Column('psfs', sa.Boolean(), nullable=False),
        sa.Column('checkin_session_id', sa.Integer(), nullable=True),
        sa.Column('draft', sa.Text(), nullable=False),
        sa.Column('dob_failures', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('phq15_administration_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            _in('channel', ('device', 'link')), name=op.f('ck_self_report_request_channel')
        ),
        sa.CheckConstraint(
            _in('phq15_timepoint', TIMEPOINTS),
            name=op.f('ck_self_report_request_phq15_timepoint'),
        ),
        sa.CheckConstraint(
            'phq15_timepoint IS NOT NULL OR psfs OR checkin_session_id IS NOT NULL',
            name=op.f('ck_self_report_request_asks_something'),
        ),
        sa.CheckConstraint(
            "(channel = 'link') = (token_hash IS NOT NULL)",
            name=op.f('ck_self_report_request_link_has_token'),
        ),
        sa.CheckConstraint(
            'dob_failures >= 0', name=op.f('ck_self_report_request_dob_failures_positive')
        ),
        sa.ForeignKeyConstraint(
            ['checkin_session_id'], ['therapy_session.id'],
            name=op.f('fk_self_report_request_checkin_session_id_therapy_session'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['user_account.id'],
            name=op.f('fk_self_report_request_created_by_id_user_account'),
        ),
        sa.ForeignKeyConstraint(
            ['episode_id'], ['treatment_episode.id'],
            name=op.f('fk_self_report_request_episode_id_treatment_episode'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['phq15_administration_id'], ['phq15_administration.id'],
            name=op.f('fk_self_report_request_phq15_administration_id_phq15_administration'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['phq15_session_id'], ['therapy_session.id'],
            name=op.f('fk_self_report_request_phq15_session_id_therapy_session'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_self_report_request')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_self_report_request_token_hash')),
    )
    with op.batch_alter_table('self_report_request', schema=None) as batch_op:
        batch_op.create_index('ix_self_report_request_episode', ['episode_id', 'created_at'])
        batch_op.create_index(
            batch_op.f('ix_self_report_request_phq15_session_id'), ['phq15_session_id']
        )
        batch_op.create_index(
            batch_op.f('ix_self_report_request_checkin_session_id'), ['checkin_session_id']
        )
    for table in SOURCE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    'source',
                    sa.String(length=15),
                    server_default='therapist_paper',
                    nullable=False,
                )
            )
            batch_op.create_check_constraint(op.f(f'ck_{table}_source'), _in('source', SOURCES))
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handover_request_id', sa.Integer(), nullable=True))


def downgrade():
    """Drop the handed-over login, the sources and the requests (patients' answers stay)."""
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('handover_request_id')
    for table in SOURCE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_source'), type_='check')
            batch_op.drop_column('source')
    with op.batch_alter_table('self_report_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_report_request_checkin_session_id'))
        batch_op.drop_index(batch_op.f('ix_self_report_request_phq15_session_id'))
        batch_op.drop_index('ix_self_report_request_episode')
    op.drop_table('self_report_request')
