"""The therapist's caseload, the home page."""

from flask import Blueprint

bp = Blueprint("caseload", __name__)

from therapy.caseload import views  # noqa: E402,F401  (registers the routes)
