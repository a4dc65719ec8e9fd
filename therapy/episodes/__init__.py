"""Treatment episodes: intake, the episode page with protocol fidelity, timeline, planned
sessions, closing."""

# Importing the view modules registers their routes on the blueprint.
from therapy.episodes import closing_views, planning_views, views, void_views  # noqa: F401
from therapy.episodes.blueprint import bp

__all__ = ["bp"]
