"""The blueprint of this area (see the package docstring), before its views register routes."""

from flask import Blueprint

bp = Blueprint("drafts", __name__, url_prefix="/drafts")
