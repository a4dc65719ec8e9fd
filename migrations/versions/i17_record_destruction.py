"""Destruction of a record on the patient's request (WGBO art. 7:455), deliberate and complete.

- `destruction_request`: the register of requests (no foreign key to `patient`: it outlives
  the record). The database holds the procedure itself: a request opens as awaiting the
  therapist's decision, awaiting the second person's confirmation, or refused; it moves only
  along the steps of the procedure (awaiting -> refused / withdrawn / carrying_out,
  carrying_out -> carried_out), never changes once closed and is never deleted. A CHECK
  constraint asks for the therapist's decision with both legal exceptions answered "no", and
  for two different people, before a request may be carried out. `carrying_out` exists only
  inside the transaction that destroys the record: it ends as `carried_out`.
- The final-document guard of 6377597071fc now lets exactly one DELETE through: of a final
  document whose patient has a request being carried out at that moment. Every other delete,
  and every change, of a final document is refused as before.
- The audit trail's guard of 5b8e0f3a9c1d now lets exactly one UPDATE through: of the detail
  column alone (the text of a search), of a row named in `audit_redaction` by a request being
  carried out. DELETE and TRUNCATE are refused as before.
- `audit_redaction`: which audit details a destruction blanked and what those rows hash to
  now; insert-only, and only while its destruction is carried out.
- `patient` gets AUTOINCREMENT on SQLite: SQLite would otherwise give the highest destroyed
  id to the next new patient, whose access log would then show the destroyed record's events.
  The table is rebuilt (batch mode, foreign keys off: migrations/env.py), rows unchanged.

Revision ID: i17_record_destruction
Revises: i16_exports
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i17_record_destruction'
down_revision = 'i16_exports'
branch_labels = None
depends_on = None

DELETE_MESSAGE = 'a final document cannot be deleted'
UPDATE_MESSAGE = 'a final document cannot be changed; make a correction (a new version)'
AUDIT_MESSAGE = 'audit_event is append-only'
REDACTION_MESSAGE = 'audit_redaction is written only while a destruction is carried out'
REQUEST_MESSAGE = 'destruction_request changes only by the steps of the procedure'
# The document columns 6377597071fc protects (every one but sent_at).
DOCUMENT_COLUMNS = (
    'id', 'episode_id', 'kind', 'version', 'status', 'supersedes_id', 'content', 'snapshot',
    'pdf', 'sha256', 'author_id', 'created_at', 'finalised_at',
)
JSON_COLUMNS = ('content', 'snapshot')
# Every audit_event column but detail: a redaction changes the detail and nothing else.
AUDIT_COLUMNS = (
    'id', 'occurred_at', 'action', 'outcome', 'user_id', 'on_behalf_of_id', 'patient_id',
    'object_type', 'object_id', 'endpoint', 'client_address', 'prev_hash', 'row_hash',
)
# The columns that say whose request it is and how it arrived: never changed afterwards.
REQUEST_FIXED = (
    'id', 'patient_id', 'therapist_id', 'origin', 'requested_on', 'requested_by',
    'opened_by_id', 'opened_at',
)
REQUEST_OPENS_AS = "('awaiting_decision', 'awaiting_confirmation', 'refused')"
REQUEST_STEPS = (
    "('awaiting_decision>refused', 'awaiting_decision>withdrawn', "
    "'awaiting_decision>carrying_out', 'awaiting_confirmation>withdrawn', "
    "'awaiting_confirmation>carrying_out', 'carrying_out>carried_out')"
)
# The one authorisation every guard asks for: this patient's request is being carried out.
DESTROYING_EPISODE = (
    "EXISTS (SELECT 1 FROM destruction_request r JOIN treatment_episode e "
    "ON e.patient_id = r.patient_id WHERE e.id = OLD.episode_id AND r.status = 'carrying_out')"
)
REDACTING_EVENT = (
    "EXISTS (SELECT 1 FROM audit_redaction a JOIN destruction_request r "
    "ON r.id = a.destruction_id WHERE a.event_id = OLD.id AND r.status = 'carrying_out')"
)


def _create_tables():
    op.create_table('destruction_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.Enum('patient_request', 'retention_ended', name='origin', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('requested_by', sa.Enum('patient', 'representative', 'authorised', name='requested_by', native_enum=False, create_constraint=True, length=14), nullable=True),
    sa.Column('status', sa.Enum('awaiting_decision', 'awaiting_confirmation', 'refused', 'withdrawn', 'carrying_out', 'carried_out', name='status', native_enum=False, create_constraint=True, length=21), nullable=False),
    sa.Column('other_interest', sa.Boolean(), nullable=True),
    sa.Column('legal_duty', sa.Boolean(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('carried_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'carried_out') = (carried_out_at IS NOT NULL)", name=op.f('ck_destruction_request_carried_out_has_time')),
    sa.CheckConstraint("(status = 'withdrawn') = (withdrawn_by_id IS NOT NULL AND withdrawn_at IS NOT NULL)", name=op.f('ck_destruction_request_withdrawn_has_who_and_when')),
    sa.CheckConstraint("origin <> 'patient_request' OR requested_by IS NOT NULL", name=op.f('ck_destruction_request_patient_request_names_requester')),
    sa.CheckConstraint("requested_on >= '1900-01-01'", name=op.f('ck_destruction_request_requested_on_after_1900')),
    sa.CheckConstraint("status NOT IN ('carrying_out', 'carried_out') OR (NOT other_interest AND NOT legal_duty AND confirmed_by_id IS NOT NULL AND confirmed_at IS NOT NULL AND confirmed_by_id <> opened_by_id)", name=op.f('ck_destruction_request_destroyed_by_two_people_without_exception')),
    sa.CheckConstraint("status NOT IN ('refused', 'awaiting_confirmation', 'carrying_out', 'carried_out') OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL AND reason <> '' AND other_interest IS NOT NULL AND legal_duty IS NOT NULL)", name=op.f('ck_destruction_request_decision_recorded')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_destruction_request_confirmed_by_id_user_account')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_destruction_request_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user_account.id'], name=op.f('fk_destruction_request_opened_by_id_user_account')),
    sa.ForeignKeyConstraint(['therapist_id'], ['user_account.id'], name=op.f('fk_destruction_request_therapist_id_user_account')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user_account.id'], name=op.f('fk_destruction_request_withdrawn_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_destruction_request'))
    )
    open_only = sa.text("status IN ('awaiting_decision', 'awaiting_confirmation')")
    with op.batch_alter_table('destruction_request', schema=None) as batch_op:
        batch_op.create_index('ix_destruction_request_patient', ['patient_id'], unique=False)
        batch_op.create_index('uq_destruction_request_open_per_patient', ['patient_id'], unique=True, sqlite_where=open_only, postgresql_where=open_only)

    op.create_table('audit_redaction',
    sa.Column('event_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('destruction_id', sa.Integer(), nullable=False),
    sa.Column('redacted_hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('length(redacted_hash) = 64', name=op.f('ck_audit_redaction_redacted_hash_length')),
    sa.ForeignKeyConstraint(['destruction_id'], ['destruction_request.id'], name=op.f('fk_audit_redaction_destruction_id_destruction_request')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_audit_redaction'))
    )
    with op.batch_alter_table('audit_redaction', schema=None) as batch_op:
        batch_op.create_index('ix_audit_redaction_destruction', ['destruction_id'], unique=False)


def _same(columns, same):
    """The SQL condition "none of these columns differs between OLD and NEW"."""
    return ' AND '.join(same(column) for column in columns)


def _document_changed_postgresql():
    return ' OR '.join(
        f'OLD.{c}::text IS DISTINCT FROM NEW.{c}::text'
        if c in JSON_COLUMNS
        else f'OLD.{c} IS DISTINCT FROM NEW.{c}'
        for c in DOCUMENT_COLUMNS
    )


def _document_function_postgresql(allow_destruction):
    """6377597071fc's function, with the one authorised DELETE when asked for."""
    allowed = f"IF {DESTROYING_EPISODE} THEN RETURN OLD; END IF; " if allow_destruction else ""
    op.execute(
        "CREATE OR REPLACE FUNCTION document_final_refuse_change() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' THEN {allowed}"
        f"RAISE EXCEPTION '{DELETE_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; "
        "END IF; "
        f"IF {_document_changed_postgresql()} THEN "
        f"RAISE EXCEPTION '{UPDATE_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; "
        "END IF; "
        "RETURN NEW; END $$"
    )


def _guards_postgresql():
    _document_function_postgresql(allow_destruction=True)
    # Whole-row comparison: a column added to audit_event later is protected unasked.
    op.execute(
        "CREATE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'detail') = (to_jsonb(OLD) - 'detail') "
        f"AND {REDACTING_EVENT} THEN RETURN NEW; END IF; "
        f"RAISE EXCEPTION '{AUDIT_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
    op.execute(
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_guard()"
    )
    op.execute(
        "CREATE FUNCTION audit_redaction_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM destruction_request "
        "WHERE id = NEW.destruction_id AND status = 'carrying_out') THEN RETURN NEW; END IF; "
        f"RAISE EXCEPTION '{REDACTION_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_redaction_guard BEFORE INSERT OR UPDATE OR DELETE "
        "ON audit_redaction FOR EACH ROW EXECUTE FUNCTION audit_redaction_guard()"
    )
    fixed = _same(REQUEST_FIXED, lambda c: f'NEW.{c} IS NOT DISTINCT FROM OLD.{c}')
    op.execute(
        "CREATE FUNCTION destruction_request_guard() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF TG_OP = 'INSERT' AND NEW.status IN {REQUEST_OPENS_AS} THEN RETURN NEW; END IF; "
        f"IF TG_OP = 'UPDATE' AND (OLD.status || '>' || NEW.status) IN {REQUEST_STEPS} "
        f"AND {fixed} THEN RETURN NEW; END IF; "
        f"RAISE EXCEPTION '{REQUEST_MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    op.execute(
        "CREATE TRIGGER destruction_request_guard BEFORE INSERT OR UPDATE OR DELETE "
        "ON destruction_request FOR EACH ROW EXECUTE FUNCTION destruction_request_guard()"
    )
    for table in ('audit_redaction', 'destruction_request'):
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_guard()"
        )


def _refuse_sqlite(name, when_event, condition, message):
    where = f"WHEN {condition} " if condition else ""
    op.execute(
        f"CREATE TRIGGER {name} BEFORE {when_event} {where}"
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


def _guards_sqlite():
    op.execute("DROP TRIGGER document_final_no_delete")
    _refuse_sqlite(
        'document_final_no_delete', 'DELETE ON document',
        f"OLD.status = 'final' AND NOT {DESTROYING_EPISODE}", DELETE_MESSAGE,
    )
    op.execute("DROP TRIGGER audit_event_no_update")
    unchanged = _same(AUDIT_COLUMNS, lambda c: f'NEW.{c} IS OLD.{c}')
    _refuse_sqlite(
        'audit_event_no_update', 'UPDATE ON audit_event',
        f"NOT ({unchanged} AND {REDACTING_EVENT})", AUDIT_MESSAGE,
    )
    _refuse_sqlite(
        'audit_redaction_only_while_destroying', 'INSERT ON audit_redaction',
        "NOT EXISTS (SELECT 1 FROM destruction_request "
        "WHERE id = NEW.destruction_id AND status = 'carrying_out')",
        REDACTION_MESSAGE,
    )
    _refuse_sqlite('audit_redaction_no_update', 'UPDATE ON audit_redaction', '', REDACTION_MESSAGE)
    _refuse_sqlite('audit_redaction_no_delete', 'DELETE ON audit_redaction', '', REDACTION_MESSAGE)
    _refuse_sqlite(
        'destruction_request_opens', 'INSERT ON destruction_request',
        f"NEW.status NOT IN {REQUEST_OPENS_AS}", REQUEST_MESSAGE,
    )
    fixed = _same(REQUEST_FIXED, lambda c: f'NEW.{c} IS OLD.{c}')
    _refuse_sqlite(
        'destruction_request_steps', 'UPDATE ON destruction_request',
        f"NOT ((OLD.status || '>' || NEW.status) IN {REQUEST_STEPS} AND {fixed})",
        REQUEST_MESSAGE,
    )
    _refuse_sqlite(
        'destruction_request_no_delete', 'DELETE ON destruction_request', '', REQUEST_MESSAGE
    )


def upgrade():
    """Create the register and the redactions, open the guards exactly for destruction."""
    _create_tables()
    if op.get_bind().dialect.name == 'postgresql':
        _guards_postgresql()
    else:
        with op.batch_alter_table(
            'patient', recreate='always', table_kwargs={'sqlite_autoincrement': True}
        ):
            pass
        _guards_sqlite()


def downgrade():
    """The guards of before (refusing every delete and change), then drop both tables."""
    if op.get_bind().dialect.name == 'postgresql':
        for table in ('audit_redaction', 'destruction_request'):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_guard ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_guard()")
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()"
        )
        op.execute("DROP FUNCTION audit_event_guard()")
        _document_function_postgresql(allow_destruction=False)
    else:
        for name in (
            'destruction_request_no_delete', 'destruction_request_steps',
            'destruction_request_opens', 'audit_redaction_no_delete', 'audit_redaction_no_update',
            'audit_redaction_only_while_destroying',
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TRIGGER audit_event_no_update")
        _refuse_sqlite('audit_event_no_update', 'UPDATE ON audit_event', '', AUDIT_MESSAGE)
        op.execute("DROP TRIGGER document_final_no_delete")
        _refuse_sqlite(
            'document_final_no_delete', 'DELETE ON document', "OLD.status = 'final'",
            DELETE_MESSAGE,
        )
        with op.batch_alter_table(
            'patient', recreate='always', table_kwargs={'sqlite_autoincrement': False}
        ):
            pass
    with op.batch_alter_table('audit_redaction', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_redaction_destruction')
    op.drop_table('audit_redaction')
    with op.batch_alter_table('destruction_request', schema=None) as batch_op:
        batch_op.drop_index('uq_destruction_request_open_per_patient')
        batch_op.drop_index('ix_destruction_request_patient')
    op.drop_table('destruction_request')
