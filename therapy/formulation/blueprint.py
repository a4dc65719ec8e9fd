"""The blueprint of this area (see the package docstring), before its views register routes."""

from flask import Blueprint

from therapy.services.formulation import grid as formulation

bp = Blueprint(
    "formulation",
    __name__,
    url_prefix="/patients/<int:patient_id>/episodes/<int:episode_id>/formulation",
)


@bp.record_once
def _share_labels(state) -> None:  # type: ignore[no-untyped-def]
    """Let any template (episode page, documents) show the grid with the same words."""
    state.app.jinja_env.globals.update(
        formulation_dimensions=formulation.DIMENSIONS,
        formulation_factors=formulation.FACTORS,
        dimension_labels=formulation.DIMENSION_LABELS,
        factor_labels=formulation.FACTOR_LABELS,
        factor_questions=formulation.FACTOR_QUESTIONS,
    )
