"""PHQ-15 measurement of a treatment episode: entry form, results, chart and alerts."""

from flask import Blueprint

bp = Blueprint("phq15", __name__, url_prefix="/patients/<int:patient_id>/episodes/<int:episode_id>")

from therapy.phq15 import views  # noqa: E402,F401  (registers the routes)
