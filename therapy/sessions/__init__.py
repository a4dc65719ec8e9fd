"""The session log: one form per session of a treatment episode."""

from flask import Blueprint

bp = Blueprint(
    "sessions", __name__, url_prefix="/patients/<int:patient_id>/episodes/<int:episode_id>/sessions"
)

from therapy.sessions import views  # noqa: E402,F401  (registers the routes)
