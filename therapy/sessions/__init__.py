"""The session log: one form per session of a treatment episode."""

# Importing the view modules registers their routes on the blueprint.
from therapy.sessions import views  # noqa: F401
from therapy.sessions.blueprint import bp

__all__ = ["bp"]
