"""Login in two steps, logout, the session keep-alive, the screen lock and one's own password."""

# Importing the view modules registers their routes on the blueprint.
from therapy.auth import (  # noqa: F401
    account,
    logins,
    registration,
    second_step,
    snippets,
    unlock,
    views,
)
from therapy.auth.blueprint import bp

__all__ = ["bp"]
