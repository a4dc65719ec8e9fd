"""The blueprint of this area (see the package docstring), before its views register routes."""

from flask import Blueprint

bp = Blueprint("self_report", __name__)


@bp.record_once
def _share_words(state) -> None:  # type: ignore[no-untyped-def]
    """Let the episode page and the caseload name a request's state alike."""
    import therapy.self_report.words as words

    state.app.jinja_env.globals.update(
        self_report_state=words.request_state,
        self_report_asked=words.asked_text,
        self_report_state_labels=words.STATE_LABELS,
    )
