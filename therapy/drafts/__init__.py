"""Server-side drafts of clinical forms: autosaved while typing, offered when reopened."""

from flask import Blueprint

bp = Blueprint("drafts", __name__, url_prefix="/drafts")

from therapy.drafts import views  # noqa: E402,F401  (registers the routes)
