"""The therapist's caseload (the home page) and Today, the start page after login."""

# Importing the view modules registers their routes on the blueprint.
from therapy.caseload import today, views  # noqa: F401
from therapy.caseload.blueprint import bp

__all__ = ["bp"]
