"""The patient's own pages (a personal link or a handed-over device) and the therapist's
pages that ask for them. Imports services, forms, audit, access and i18n."""

# Importing the view modules registers their routes on the blueprint.
from therapy.self_report import ask_views, handover_views, patient_views  # noqa: F401
from therapy.self_report.blueprint import bp

__all__ = ["bp"]
