"""The blueprint of this area (see the package docstring), before its views register routes."""

from flask import Blueprint

bp = Blueprint("record_rights", __name__, url_prefix="/patients/<int:patient_id>/record")
