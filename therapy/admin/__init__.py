"""Practice administration: accounts, practice settings and the audit log (no clinical content)."""

# Importing the view modules registers their routes on the blueprint.
from therapy.admin import (  # noqa: F401
    audit_views,
    destruction_views,
    export_views,
    outcome_views,
    settings_views,
    views,
)
from therapy.admin.blueprint import bp

__all__ = ["bp"]
