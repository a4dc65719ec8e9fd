"""Record numbers given by the app: a prefix and a counter on the practice (finding 9).

- `practice.record_prefix`: the letters before each new number ("" until the first number is
  given out; then the initials of the practice's name, or what the administrator chose).
- `practice.record_sequence`: the last number given out, counted up in the transaction that
  adds a patient (CHECK: never negative).

Existing patients keep their record numbers as they are; the counter starts at 0 and passes
over any number already held, so no new number can repeat an old one. On SQLite the batch
rebuild copies every practice row.

Revision ID: i19_record_numbers
Revises: i14_appointments
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "i19_record_numbers"
down_revision = "i14_appointments"
branch_labels = None
depends_on = None


def upgrade():
    """Add the prefix (empty) and the counter (0) to every practice row."""
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("record_prefix", sa.String(length=8), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("record_sequence", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_practice_record_sequence_not_negative"), "record_sequence >= 0"
        )


def downgrade():
    """Drop them; the record numbers given out stay on their patients."""
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_practice_record_sequence_not_negative"), type_="check"
        )
        batch_op.drop_column("record_sequence")
        batch_op.drop_column("record_prefix")
