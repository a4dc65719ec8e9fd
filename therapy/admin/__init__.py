"""Practice administration: accounts and the audit log (no clinical content)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from therapy.admin import audit_views, views  # noqa: E402,F401  (registers the routes)
