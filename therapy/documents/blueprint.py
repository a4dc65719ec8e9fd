"""The blueprint of this area (see the package docstring), before its views register routes."""

from flask import Blueprint

bp = Blueprint(
    "documents",
    __name__,
    url_prefix="/patients/<int:patient_id>/episodes/<int:episode_id>/documents",
)
# The print stylesheet for the HTML preview; it holds no patient data.
assets_bp = Blueprint("document_assets", __name__, url_prefix="/documents")
