"""Server-side drafts of clinical forms: autosaved while typing, offered when reopened."""

# Importing the view modules registers their routes on the blueprint.
from therapy.drafts import views  # noqa: F401
from therapy.drafts.blueprint import bp

__all__ = ["bp"]
