"""Practice administration: accounts, practice settings and the audit log (no clinical content)."""

# Importing the view modules registers their routes on the blueprint.
from therapy.admin import audit_views, settings_views, views  # noqa: F401
from therapy.admin.blueprint import bp

__all__ = ["bp"]
