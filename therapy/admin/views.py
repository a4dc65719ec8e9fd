"""Practice administration views, for practice administrators only."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from therapy.admin import bp
from therapy.extensions import db
from therapy.models import User


@bp.before_request
def require_practice_admin() -> None:
    """A second layer behind the login gate: this area is for administrators only."""
    if not current_user.is_authenticated or not current_user.is_practice_admin:
        abort(403)


@bp.route("/accounts")
def accounts() -> str:
    """Every account of the practice, with role and status."""
    users = db.session.scalars(select(User).order_by(User.full_name, User.id)).all()
    return render_template("admin/accounts.html", users=users)
