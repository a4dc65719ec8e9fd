"""The blueprint of this area (see the package docstring), before its views register routes."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
