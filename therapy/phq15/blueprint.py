"""The blueprint of this area (see the package docstring), before its views register routes."""

from flask import Blueprint

from therapy.services.phq15 import words

bp = Blueprint("phq15", __name__, url_prefix="/patients/<int:patient_id>/episodes/<int:episode_id>")


@bp.record_once
def _share_words(state) -> None:  # type: ignore[no-untyped-def]
    """Let any template (episode page, caseload, documents) name PHQ-15 results alike."""
    state.app.jinja_env.globals.update(
        phq15_band=words.band_label,
        phq15_rule=words.score_description,
        phq15_change=words.change_sentence,
        phq15_item_texts=words.ITEM_TEXTS,
        phq15_item_notes=words.ITEM_NOTES,
    )
