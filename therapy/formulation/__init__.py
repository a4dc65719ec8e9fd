"""The 4P x SCEBS formulation grid of a treatment episode."""

# Importing the view modules registers their routes on the blueprint.
from therapy.formulation import views  # noqa: F401
from therapy.formulation.blueprint import bp

__all__ = ["bp"]
