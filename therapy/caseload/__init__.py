"""The therapist's caseload, the home page."""

# Importing the view modules registers their routes on the blueprint.
from therapy.caseload import views  # noqa: F401
from therapy.caseload.blueprint import bp

__all__ = ["bp"]
