"""A patient's access log: who looked at, changed or printed this record (NEN 7513)."""

# Importing the view modules registers their routes on the blueprint.
from therapy.access_log import views  # noqa: F401
from therapy.access_log.blueprint import bp

__all__ = ["bp"]
