"""Treatment episodes: intake, the episode page with protocol fidelity, timeline, closing."""

# Importing the view modules registers their routes on the blueprint.
from therapy.episodes import closing_views, views  # noqa: F401
from therapy.episodes.blueprint import bp

__all__ = ["bp"]
