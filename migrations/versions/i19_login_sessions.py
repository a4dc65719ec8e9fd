"""Login sessions a user can see and end, and flash messages kept on the server.

- `user_session.user_agent`: the browser that logged in (shown as the device on "My logins").
- `user_session.flashes`: the messages waiting to be shown to this login (JSON), so a patient's
  name in "... was added to your caseload" never travels in the signed but readable cookie.

Revision ID: i19_login_sessions
Revises: i13_self_report
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa

revision = "i19_login_sessions"
down_revision = "i13_self_report"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_session") as batch:
        batch.add_column(sa.Column("user_agent", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("flashes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user_session") as batch:
        batch.drop_column("flashes")
        batch.drop_column("user_agent")
