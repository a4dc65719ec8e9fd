"""Login in two steps, logout, the session keep-alive and one's own password."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from therapy.auth import account, second_step, views  # noqa: E402,F401  (registers the routes)
