"""The patient's rights over the record, for the therapist: a copy, and destruction on request."""

# Importing the view modules registers their routes on the blueprint.
from therapy.record_rights import copy_views, destruction_views  # noqa: F401
from therapy.record_rights.blueprint import bp

__all__ = ["bp"]
