"""Screen lock: a login idle for 15 minutes is locked on the server, not ended.

`user_session.locked_at` holds when the login was locked; every tab of it is refused patient
data until the password is given again. A nullable column: the logins open at the upgrade
go on unlocked.

Revision ID: i14_screen_lock
Revises: i15_letterhead_and_advice
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'i14_screen_lock'
down_revision = 'i15_letterhead_and_advice'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('locked_at')
