"""Treatment episodes: intake, the episode page with protocol fidelity, timeline, closing."""

from flask import Blueprint

bp = Blueprint("episodes", __name__, url_prefix="/patients/<int:patient_id>/episodes")

from therapy.episodes import closing_views, views  # noqa: E402,F401  (registers the routes)
