"""Initial schema: the whole domain of DOMAIN.md.

Enums are stored as text with named CHECK constraints (not native PostgreSQL enums), so the
schema is the same on SQLite and PostgreSQL and later migrations can change a vocabulary with
a plain constraint swap.

Revision ID: 6d254ae7987e
Revises:
Create Date: 2026-11-22
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6d254ae7987e'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    """Create every table, parents before children."""
    op.create_table('general_practitioner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('practice_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=16), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('agb_code', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_general_practitioner'))
    )
    op.create_table('practice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('phq15_sd', sa.Float(), nullable=False),
    sa.Column('phq15_alpha', sa.Float(), nullable=False),
    sa.Column('phq15_mcid', sa.Integer(), nullable=False),
    sa.Column('psfs_mcid', sa.Float(), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('phq15_alpha >= 0 AND phq15_alpha < 1', name=op.f('ck_practice_phq15_alpha_range')),
    sa.CheckConstraint('phq15_mcid BETWEEN 1 AND 30', name=op.f('ck_practice_phq15_mcid_range')),
    sa.CheckConstraint('phq15_sd > 0', name=op.f('ck_practice_phq15_sd_positive')),
    sa.CheckConstraint('psfs_mcid > 0 AND psfs_mcid <= 10', name=op.f('ck_practice_psfs_mcid_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice'))
    )
    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=14), nullable=False),
    sa.Column('profession', sa.String(length=18), nullable=True),
    sa.Column('registration_number', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('totp_secret_encrypted', sa.Text(), nullable=True),
    sa.Column('totp_enrolled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('totp_last_step', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role <> 'therapist' OR profession IS NOT NULL", name=op.f('ck_user_account_therapist_has_profession')),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_user_account_email_lowercase')),
    sa.CheckConstraint("role IN ('therapist', 'practice_admin')", name=op.f('ck_user_account_role')),
    sa.CheckConstraint("profession IN ('exercise_therapist', 'physical_therapist')", name=op.f('ck_user_account_profession')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=7), nullable=False),
    sa.Column('outcome', sa.String(length=7), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('patient_id', sa.Integer(), nullable=True),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('endpoint', sa.String(length=120), nullable=False),
    sa.Column('client_address', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['user_account.id'], name=op.f('fk_audit_event_on_behalf_of_id_user_account')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_audit_event_user_id_user_account')),
    sa.CheckConstraint("action IN ('read', 'search', 'create', 'update', 'delete', 'print', 'export', 'login', 'logout', 'account')", name=op.f('ck_audit_event_action')),
    sa.CheckConstraint("outcome IN ('success', 'denied', 'failed')", name=op.f('ck_audit_event_outcome')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('row_hash', name=op.f('uq_audit_event_row_hash'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_event_patient_time', ['patient_id', 'occurred_at'], unique=False)
        batch_op.create_index('ix_audit_event_user_time', ['user_id', 'occurred_at'], unique=False)

    op.create_table('patient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.Column('record_number', sa.String(length=32), nullable=False),
    sa.Column('given_name', sa.String(length=100), nullable=False),
    sa.Column('family_name', sa.String(length=100), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=6), nullable=False),
    sa.Column('education_level', sa.String(length=7), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('gp_id', sa.Integer(), nullable=True),
    sa.Column('other_symptoms', sa.Text(), nullable=False),
    sa.Column('symptom_intensity', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("date_of_birth >= '1900-01-01'", name=op.f('ck_patient_date_of_birth_after_1900')),
    sa.CheckConstraint('symptom_intensity IS NULL OR symptom_intensity BETWEEN 0 AND 10', name=op.f('ck_patient_symptom_intensity_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_patient_version_positive')),
    sa.ForeignKeyConstraint(['gp_id'], ['general_practitioner.id'], name=op.f('fk_patient_gp_id_general_practitioner')),
    sa.ForeignKeyConstraint(['therapist_id'], ['user_account.id'], name=op.f('fk_patient_therapist_id_user_account')),
    sa.CheckConstraint("sex IN ('female', 'male', 'other')", name=op.f('ck_patient_sex')),
    sa.CheckConstraint("education_level IN ('low', 'middle', 'high', 'unknown')", name=op.f('ck_patient_education_level')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patient')),
    sa.UniqueConstraint('record_number', name=op.f('uq_patient_record_number'))
    )
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.create_index('ix_patient_caseload', ['therapist_id', 'family_name', 'given_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_patient_gp_id'), ['gp_id'], unique=False)

    op.create_table('patient_symptom',
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('symptom', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_patient_symptom_patient_id_patient'), ondelete='CASCADE'),
    sa.CheckConstraint("symptom IN ('back_pain', 'joint_pain', 'extremity_pain', 'headaches', 'weakness', 'fatigue', 'sleep_disturbance', 'difficulty_concentrating', 'loss_of_appetite', 'weight_change', 'restlessness', 'thoughts_slower', 'chest_pain', 'shortness_of_breath', 'palpitations', 'dizziness', 'lump_in_throat', 'numbness', 'nausea', 'loose_bowels', 'gas_or_bloating', 'constipation', 'abdominal_pain')", name=op.f('ck_patient_symptom_symptom')),
    sa.PrimaryKeyConstraint('patient_id', 'symptom', name=op.f('pk_patient_symptom'))
    )
    op.create_table('treatment_episode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=6), nullable=False),
    sa.Column('referral_date', sa.Date(), nullable=False),
    sa.Column('referred_by_id', sa.Integer(), nullable=True),
    sa.Column('referral_question', sa.Text(), nullable=False),
    sa.Column('request_for_help', sa.Text(), nullable=False),
    sa.Column('expectations', sa.Text(), nullable=False),
    sa.Column('planned_sessions', sa.Integer(), nullable=False),
    sa.Column('planned_sessions_reason', sa.Text(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('ending_reason', sa.String(length=18), nullable=True),
    sa.Column('ending_reason_detail', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('relapse_prevention', sa.Text(), nullable=False),
    sa.Column('advice', sa.Text(), nullable=False),
    sa.Column('gp_consent', sa.Boolean(), nullable=True),
    sa.Column('gp_consent_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gp_consent_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(status = 'closed') = (closed_on IS NOT NULL AND ending_reason IS NOT NULL)", name=op.f('ck_treatment_episode_closed_has_date_and_reason')),
    sa.CheckConstraint("planned_sessions BETWEEN 6 AND 12 OR planned_sessions_reason <> ''", name=op.f('ck_treatment_episode_planned_sessions_reason_required')),
    sa.CheckConstraint("referral_date >= '1900-01-01'", name=op.f('ck_treatment_episode_referral_date_after_1900')),
    sa.CheckConstraint("started_on >= '1900-01-01'", name=op.f('ck_treatment_episode_started_on_after_1900')),
    sa.CheckConstraint('closed_on IS NULL OR closed_on >= started_on', name=op.f('ck_treatment_episode_closed_after_start')),
    sa.CheckConstraint('planned_sessions BETWEEN 1 AND 40', name=op.f('ck_treatment_episode_planned_sessions_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_treatment_episode_version_positive')),
    sa.ForeignKeyConstraint(['gp_consent_recorded_by_id'], ['user_account.id'], name=op.f('fk_treatment_episode_gp_consent_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['patient_id'], ['patient.id'], name=op.f('fk_treatment_episode_patient_id_patient'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['referred_by_id'], ['general_practitioner.id'], name=op.f('fk_treatment_episode_referred_by_id_general_practitioner')),
    sa.ForeignKeyConstraint(['therapist_id'], ['user_account.id'], name=op.f('fk_treatment_episode_therapist_id_user_account')),
    sa.CheckConstraint("status IN ('intake', 'active', 'closed')", name=op.f('ck_treatment_episode_status')),
    sa.CheckConstraint("ending_reason IN ('goals_reached', 'patient_choice', 'referred_elsewhere', 'dropped_out', 'other')", name=op.f('ck_treatment_episode_ending_reason')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treatment_episode'))
    )
    with op.batch_alter_table('treatment_episode', schema=None) as batch_op:
        batch_op.create_index('ix_treatment_episode_patient', ['patient_id', 'started_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_treatment_episode_referred_by_id'), ['referred_by_id'], unique=False)
        batch_op.create_index('ix_treatment_episode_therapist_status', ['therapist_id', 'status'], unique=False)

    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=5), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finalised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'final') = (pdf IS NOT NULL AND sha256 IS NOT NULL AND finalised_at IS NOT NULL AND snapshot IS NOT NULL)", name=op.f('ck_document_final_has_pdf_hash_snapshot')),
    sa.CheckConstraint('sha256 IS NULL OR length(sha256) = 64', name=op.f('ck_document_sha256_length')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_document_version_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_document_author_id_user_account')),
    sa.ForeignKeyConstraint(['episode_id'], ['treatment_episode.id'], name=op.f('fk_document_episode_id_treatment_episode'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supersedes_id'], ['document.id'], name=op.f('fk_document_supersedes_id_document')),
    sa.CheckConstraint("kind IN ('treatment_report', 'gp_letter')", name=op.f('ck_document_kind')),
    sa.CheckConstraint("status IN ('draft', 'final')", name=op.f('ck_document_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_document_supersedes_id'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index('uq_document_episode_kind_version', ['episode_id', 'kind', 'version'], unique=True)

    op.create_table('goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=200), nullable=False),
    sa.Column('patient_words', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('position BETWEEN 1 AND 5', name=op.f('ck_goal_position_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_goal_version_positive')),
    sa.ForeignKeyConstraint(['episode_id'], ['treatment_episode.id'], name=op.f('fk_goal_episode_id_treatment_episode'), ondelete='CASCADE'),
    sa.CheckConstraint("status IN ('active', 'achieved', 'dropped')", name=op.f('ck_goal_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal'))
    )
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_index('uq_goal_episode_position', ['episode_id', 'position'], unique=True)

    op.create_table('therapy_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('attendance', sa.String(length=9), nullable=False),
    sa.Column('education_minutes', sa.Integer(), nullable=False),
    sa.Column('body_minutes', sa.Integer(), nullable=False),
    sa.Column('cognitive_minutes', sa.Integer(), nullable=False),
    sa.Column('activating_minutes', sa.Integer(), nullable=False),
    sa.Column('education_note', sa.Text(), nullable=False),
    sa.Column('body_note', sa.Text(), nullable=False),
    sa.Column('cognitive_note', sa.Text(), nullable=False),
    sa.Column('activating_note', sa.Text(), nullable=False),
    sa.Column('scebs_somatic', sa.Text(), nullable=False),
    sa.Column('scebs_cognitive', sa.Text(), nullable=False),
    sa.Column('scebs_emotional', sa.Text(), nullable=False),
    sa.Column('scebs_behavioural', sa.Text(), nullable=False),
    sa.Column('scebs_social', sa.Text(), nullable=False),
    sa.Column('symptom_course', sa.Text(), nullable=False),
    sa.Column('home_exercises', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("attendance <> 'attended' OR duration_minutes IS NOT NULL", name=op.f('ck_therapy_session_attended_has_duration')),
    sa.CheckConstraint("held_on >= '1900-01-01'", name=op.f('ck_therapy_session_held_on_after_1900')),
    sa.CheckConstraint('activating_minutes BETWEEN 0 AND 240', name=op.f('ck_therapy_session_activating_minutes_range')),
    sa.CheckConstraint('body_minutes BETWEEN 0 AND 240', name=op.f('ck_therapy_session_body_minutes_range')),
    sa.CheckConstraint('cognitive_minutes BETWEEN 0 AND 240', name=op.f('ck_therapy_session_cognitive_minutes_range')),
    sa.CheckConstraint('duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 240', name=op.f('ck_therapy_session_duration_range')),
    sa.CheckConstraint('education_minutes BETWEEN 0 AND 240', name=op.f('ck_therapy_session_education_minutes_range')),
    sa.CheckConstraint('number BETWEEN 1 AND 100', name=op.f('ck_therapy_session_number_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_therapy_session_version_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_therapy_session_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['episode_id'], ['treatment_episode.id'], name=op.f('fk_therapy_session_episode_id_treatment_episode'), ondelete='CASCADE'),
    sa.CheckConstraint("attendance IN ('attended', 'cancelled', 'no_show')", name=op.f('ck_therapy_session_attendance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_therapy_session'))
    )
    with op.batch_alter_table('therapy_session', schema=None) as batch_op:
        batch_op.create_index('ix_therapy_session_episode_held_on', ['episode_id', 'held_on'], unique=False)
        batch_op.create_index('uq_therapy_session_episode_number', ['episode_id', 'number'], unique=True)

    op.create_table('alliance_checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('bond', sa.Integer(), nullable=False),
    sa.Column('goals', sa.Integer(), nullable=False),
    sa.Column('tasks', sa.Integer(), nullable=False),
    sa.Column('left_unsaid', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('bond BETWEEN 0 AND 10', name=op.f('ck_alliance_checkin_bond_range')),
    sa.CheckConstraint('goals BETWEEN 0 AND 10', name=op.f('ck_alliance_checkin_goals_range')),
    sa.CheckConstraint('tasks BETWEEN 0 AND 10', name=op.f('ck_alliance_checkin_tasks_range')),
    sa.ForeignKeyConstraint(['session_id'], ['therapy_session.id'], name=op.f('fk_alliance_checkin_session_id_therapy_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_checkin')),
    sa.UniqueConstraint('session_id', name=op.f('uq_alliance_checkin_session_id'))
    )
    op.create_table('formulation_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=11), nullable=False),
    sa.Column('factor', sa.String(length=13), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_formulation_entry_version_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_formulation_entry_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['episode_id'], ['treatment_episode.id'], name=op.f('fk_formulation_entry_episode_id_treatment_episode'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['therapy_session.id'], name=op.f('fk_formulation_entry_session_id_therapy_session'), ondelete='SET NULL'),
    sa.CheckConstraint("dimension IN ('somatic', 'cognitive', 'emotional', 'behavioural', 'social')", name=op.f('ck_formulation_entry_dimension')),
    sa.CheckConstraint("factor IN ('predisposing', 'precipitating', 'perpetuating', 'protective')", name=op.f('ck_formulation_entry_factor')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_formulation_entry'))
    )
    with op.batch_alter_table('formulation_entry', schema=None) as batch_op:
        batch_op.create_index('ix_formulation_entry_episode_cell', ['episode_id', 'dimension', 'factor'], unique=False)
        batch_op.create_index(batch_op.f('ix_formulation_entry_session_id'), ['session_id'], unique=False)

    op.create_table('goal_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('occasion', sa.String(length=8), nullable=False),
    sa.Column('rated_on', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("rated_on >= '1900-01-01'", name=op.f('ck_goal_rating_rated_on_after_1900')),
    sa.CheckConstraint('score BETWEEN 0 AND 10', name=op.f('ck_goal_rating_score_range')),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_goal_rating_goal_id_goal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['therapy_session.id'], name=op.f('fk_goal_rating_session_id_therapy_session'), ondelete='CASCADE'),
    sa.CheckConstraint("occasion IN ('baseline', 'review', 'end')", name=op.f('ck_goal_rating_occasion')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_rating'))
    )
    with op.batch_alter_table('goal_rating', schema=None) as batch_op:
        batch_op.create_index('ix_goal_rating_goal', ['goal_id', 'rated_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_rating_session_id'), ['session_id'], unique=False)
        batch_op.create_index('uq_goal_rating_goal_session', ['goal_id', 'session_id'], unique=True)

    op.create_table('phq15_administration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('timepoint', sa.String(length=16), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('timepoint_note', sa.String(length=120), nullable=False),
    sa.Column('administered_on', sa.Date(), nullable=False),
    sa.Column('item_01', sa.SmallInteger(), nullable=True),
    sa.Column('item_02', sa.SmallInteger(), nullable=True),
    sa.Column('item_03', sa.SmallInteger(), nullable=True),
    sa.Column('item_04', sa.SmallInteger(), nullable=True),
    sa.Column('item_05', sa.SmallInteger(), nullable=True),
    sa.Column('item_06', sa.SmallInteger(), nullable=True),
    sa.Column('item_07', sa.SmallInteger(), nullable=True),
    sa.Column('item_08', sa.SmallInteger(), nullable=True),
    sa.Column('item_09', sa.SmallInteger(), nullable=True),
    sa.Column('item_10', sa.SmallInteger(), nullable=True),
    sa.Column('item_11', sa.SmallInteger(), nullable=True),
    sa.Column('item_12', sa.SmallInteger(), nullable=True),
    sa.Column('item_13', sa.SmallInteger(), nullable=True),
    sa.Column('item_14', sa.SmallInteger(), nullable=True),
    sa.Column('item_15', sa.SmallInteger(), nullable=True),
    sa.Column('item_04_not_applicable', sa.Boolean(), nullable=False),
    sa.Column('total', sa.SmallInteger(), nullable=True),
    sa.Column('rule', sa.String(length=20), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(total IS NULL) = (rule = 'incomplete')", name=op.f('ck_phq15_administration_total_matches_rule')),
    sa.CheckConstraint("administered_on >= '1900-01-01'", name=op.f('ck_phq15_administration_administered_on_after_1900')),
    sa.CheckConstraint("timepoint <> 'session' OR session_id IS NOT NULL", name=op.f('ck_phq15_administration_session_timepoint_has_session')),
    sa.CheckConstraint('NOT (item_04_not_applicable AND item_04 IS NOT NULL)', name=op.f('ck_phq15_administration_item_04_na_has_no_answer')),
    sa.CheckConstraint('item_01 IS NULL OR item_01 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_01_range')),
    sa.CheckConstraint('item_02 IS NULL OR item_02 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_02_range')),
    sa.CheckConstraint('item_03 IS NULL OR item_03 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_03_range')),
    sa.CheckConstraint('item_04 IS NULL OR item_04 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_04_range')),
    sa.CheckConstraint('item_05 IS NULL OR item_05 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_05_range')),
    sa.CheckConstraint('item_06 IS NULL OR item_06 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_06_range')),
    sa.CheckConstraint('item_07 IS NULL OR item_07 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_07_range')),
    sa.CheckConstraint('item_08 IS NULL OR item_08 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_08_range')),
    sa.CheckConstraint('item_09 IS NULL OR item_09 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_09_range')),
    sa.CheckConstraint('item_10 IS NULL OR item_10 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_10_range')),
    sa.CheckConstraint('item_11 IS NULL OR item_11 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_11_range')),
    sa.CheckConstraint('item_12 IS NULL OR item_12 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_12_range')),
    sa.CheckConstraint('item_13 IS NULL OR item_13 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_13_range')),
    sa.CheckConstraint('item_14 IS NULL OR item_14 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_14_range')),
    sa.CheckConstraint('item_15 IS NULL OR item_15 BETWEEN 0 AND 2', name=op.f('ck_phq15_administration_item_15_range')),
    sa.CheckConstraint('total IS NULL OR total BETWEEN 0 AND 30', name=op.f('ck_phq15_administration_total_range')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_phq15_administration_entered_by_id_user_account')),
    sa.ForeignKeyConstraint(['episode_id'], ['treatment_episode.id'], name=op.f('fk_phq15_administration_episode_id_treatment_episode'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['therapy_session.id'], name=op.f('fk_phq15_administration_session_id_therapy_session'), ondelete='SET NULL'),
    sa.CheckConstraint("timepoint IN ('baseline', 'session', 'end_of_treatment', 'follow_up_4m', 'follow_up_12m', 'other')", name=op.f('ck_phq15_administration_timepoint')),
    sa.CheckConstraint("rule IN ('complete', 'item4_not_applicable', 'prorated', 'incomplete')", name=op.f('ck_phq15_administration_rule')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phq15_administration'))
    )
    with op.batch_alter_table('phq15_administration', schema=None) as batch_op:
        batch_op.create_index('ix_phq15_administration_episode', ['episode_id', 'administered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_phq15_administration_session_id'), ['session_id'], unique=False)
        batch_op.create_index('uq_phq15_administration_episode_timepoint_day', ['episode_id', 'timepoint', 'administered_on'], unique=True)

    op.create_table('session_technique',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('element', sa.String(length=10), nullable=False),
    sa.Column('technique', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['therapy_session.id'], name=op.f('fk_session_technique_session_id_therapy_session'), ondelete='CASCADE'),
    sa.CheckConstraint("element IN ('education', 'body', 'cognitive', 'activating')", name=op.f('ck_session_technique_element')),
    sa.PrimaryKeyConstraint('session_id', 'element', 'technique', name=op.f('pk_session_technique'))
    )
    op.create_table('formulation_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('edited_by_id', sa.Integer(), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_formulation_revision_version_positive')),
    sa.ForeignKeyConstraint(['edited_by_id'], ['user_account.id'], name=op.f('fk_formulation_revision_edited_by_id_user_account')),
    sa.ForeignKeyConstraint(['entry_id'], ['formulation_entry.id'], name=op.f('fk_formulation_revision_entry_id_formulation_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['therapy_session.id'], name=op.f('fk_formulation_revision_session_id_therapy_session'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_formulation_revision'))
    )
    with op.batch_alter_table('formulation_revision', schema=None) as batch_op:
        batch_op.create_index('uq_formulation_revision_entry_version', ['entry_id', 'version'], unique=True)



def downgrade():
    """Drop every table, children before parents."""
    with op.batch_alter_table('formulation_revision', schema=None) as batch_op:
        batch_op.drop_index('uq_formulation_revision_entry_version')

    op.drop_table('formulation_revision')
    op.drop_table('session_technique')
    with op.batch_alter_table('phq15_administration', schema=None) as batch_op:
        batch_op.drop_index('uq_phq15_administration_episode_timepoint_day')
        batch_op.drop_index(batch_op.f('ix_phq15_administration_session_id'))
        batch_op.drop_index('ix_phq15_administration_episode')

    op.drop_table('phq15_administration')
    with op.batch_alter_table('goal_rating', schema=None) as batch_op:
        batch_op.drop_index('uq_goal_rating_goal_session')
        batch_op.drop_index(batch_op.f('ix_goal_rating_session_id'))
        batch_op.drop_index('ix_goal_rating_goal')

    op.drop_table('goal_rating')
    with op.batch_alter_table('formulation_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_formulation_entry_session_id'))
        batch_op.drop_index('ix_formulation_entry_episode_cell')

    op.drop_table('formulation_entry')
    op.drop_table('alliance_checkin')
    with op.batch_alter_table('therapy_session', schema=None) as batch_op:
        batch_op.drop_index('uq_therapy_session_episode_number')
        batch_op.drop_index('ix_therapy_session_episode_held_on')

    op.drop_table('therapy_session')
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_index('uq_goal_episode_position')

    op.drop_table('goal')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index('uq_document_episode_kind_version')

    op.drop_table('document')
    with op.batch_alter_table('treatment_episode', schema=None) as batch_op:
        batch_op.drop_index('ix_treatment_episode_therapist_status')
        batch_op.drop_index(batch_op.f('ix_treatment_episode_referred_by_id'))
        batch_op.drop_index('ix_treatment_episode_patient')

    op.drop_table('treatment_episode')
    op.drop_table('patient_symptom')
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patient_gp_id'))
        batch_op.drop_index('ix_patient_caseload')

    op.drop_table('patient')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_user_time')
        batch_op.drop_index('ix_audit_event_patient_time')

    op.drop_table('audit_event')
    op.drop_table('user_account')
    op.drop_table('practice')
    op.drop_table('general_practitioner')
