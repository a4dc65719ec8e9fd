"""The patient's BSN, health insurer and policy number (DOMAIN.md §8).

Dutch GP systems file a letter by the burgerservicenummer, and the Wbsn-z obliges care
providers to use it in care communication. It is nine digits (checked with python-stdnum's
11-test by the form), NULL when not recorded, and names one patient of the practice (a unique
index; NULLs do not collide). Insurer and policy number are optional administrative fields.
Existing patients get no BSN (NULL) and empty insurer fields, so every row stays valid; on
SQLite the batch rebuild copies every row.

Revision ID: i15_patient_bsn
Revises: 7a4c2e91d3b0
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i15_patient_bsn'
down_revision = '7a4c2e91d3b0'
branch_labels = None
depends_on = None


def upgrade():
    """Add patient.bsn (nullable, nine characters, unique), insurer and insurance_number."""
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bsn', sa.String(length=9), nullable=True))
        batch_op.add_column(
            sa.Column('insurer', sa.String(length=100), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('insurance_number', sa.String(length=40), server_default='', nullable=False)
        )
        batch_op.create_check_constraint(
            op.f('ck_patient_bsn_nine_digits'), 'bsn IS NULL OR length(bsn) = 9'
        )
        batch_op.create_index('uq_patient_bsn', ['bsn'], unique=True)


def downgrade():
    """Drop the three columns (a recorded BSN is lost with them)."""
    with op.batch_alter_table('patient', schema=None) as batch_op:
        batch_op.drop_index('uq_patient_bsn')
        batch_op.drop_constraint(op.f('ck_patient_bsn_nine_digits'), type_='check')
        batch_op.drop_column('insurance_number')
        batch_op.drop_column('insurer')
        batch_op.drop_column('bsn')
