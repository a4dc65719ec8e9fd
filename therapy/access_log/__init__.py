"""A patient's access log: who looked at, changed or printed this record (NEN 7513)."""

from flask import Blueprint

bp = Blueprint("access_log", __name__, url_prefix="/patients")

from therapy.access_log import views  # noqa: E402,F401  (registers the routes)
