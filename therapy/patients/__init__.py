"""A patient's record: demographics, referral and treatment episodes."""

from flask import Blueprint

bp = Blueprint("patients", __name__, url_prefix="/patients")

from therapy.patients import views  # noqa: E402,F401  (registers the routes)
