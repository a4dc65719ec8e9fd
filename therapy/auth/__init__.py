"""Login in two steps, logout, the session keep-alive and one's own password."""

# Importing the view modules registers their routes on the blueprint.
from therapy.auth import account, second_step, views  # noqa: F401
from therapy.auth.blueprint import bp

__all__ = ["bp"]
