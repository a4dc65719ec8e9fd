"""Accounts whose password an administrator knows must choose their own before going on.

A practice administrator sets the first password of an account they create, and resetting
someone's two-factor login lets the next login enrol a new authenticator. Either way the
administrator could log in as that person; the flag keeps such a login on the change-password
page until the person has chosen a new password (SECURITY.md promise 5). Existing accounts
start without the flag. One added column; on SQLite the batch rebuild copies every row.

Revision ID: 538d0338a95b
Revises: 6377597071fc
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '538d0338a95b'
down_revision = '6377597071fc'
branch_labels = None
depends_on = None


def upgrade():
    """Add user_account.must_change_password, false for every existing account."""
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    """Drop the flag (accounts waiting for a new password no longer wait)."""
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
