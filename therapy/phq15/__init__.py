"""PHQ-15 measurement of a treatment episode: entry form, results, chart and alerts."""

# Importing the view modules registers their routes on the blueprint.
from therapy.phq15 import views  # noqa: F401
from therapy.phq15.blueprint import bp

__all__ = ["bp"]
