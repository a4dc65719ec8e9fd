"""Practice administration: accounts, practice settings and the audit log (no clinical content)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Importing the modules registers their routes; views.py holds the administrators-only gate.
from therapy.admin import audit_views, settings_views, views  # noqa: E402,F401
