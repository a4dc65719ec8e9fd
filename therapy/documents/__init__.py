"""An episode's documents page: drafts, consent, finalising, downloads and the print preview."""

# Importing the view modules registers their routes on the blueprint.
from therapy.documents import downloads, views  # noqa: F401
from therapy.documents.blueprint import assets_bp, bp

__all__ = ["assets_bp", "bp"]
