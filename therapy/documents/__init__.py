"""An episode's documents page: drafts, consent, finalising, downloads and the print preview."""

from flask import Blueprint

bp = Blueprint(
    "documents",
    __name__,
    url_prefix="/patients/<int:patient_id>/episodes/<int:episode_id>/documents",
)
# The print stylesheet for the HTML preview; it holds no patient data.
assets_bp = Blueprint("document_assets", __name__, url_prefix="/documents")

from therapy.documents import downloads, views  # noqa: E402,F401  (registers the routes)
