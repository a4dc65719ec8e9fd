"""A patient's record: demographics, referral and treatment episodes."""

# Importing the view modules registers their routes on the blueprint.
from therapy.patients import export_views, gp_views, views  # noqa: F401
from therapy.patients.blueprint import bp

__all__ = ["bp"]
