"""The patient's consent to inform the GP, recorded once: no GP letter without it (DOMAIN.md §4)."""

from __future__ import annotations

from sqlalchemy import update

from therapy.extensions import db
from therapy.models import TreatmentEpisode
from therapy.models.enums import DocumentKind
from therapy.models.types import utcnow
from therapy.services.documents.errors import ConsentRequiredError, StaleEpisodeError


def check_consent(episode: TreatmentEpisode, kind: DocumentKind) -> None:
    """Refuse a GP letter unless the patient's consent to send it is recorded."""
    if kind == DocumentKind.GP_LETTER and episode.gp_consent is not True:
        raise ConsentRequiredError(f"episode {episode.id} has no recorded consent to inform the GP")


def record_gp_consent(
    episode: TreatmentEpisode, *, consent: bool, user_id: int, expected_version: int
) -> None:
    """Record whether the patient agrees to the GP being informed, and who recorded it."""
    result = db.session.execute(
        update(TreatmentEpisode)
        .where(TreatmentEpisode.id == episode.id, TreatmentEpisode.version == expected_version)
        .values(
            gp_consent=consent,
            gp_consent_recorded_at=utcnow(),
            gp_consent_recorded_by_id=user_id,
            version=TreatmentEpisode.version + 1,  # in SQL: a forged version never overflows
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise StaleEpisodeError(f"episode {episode.id} changed since the form was opened")
    db.session.refresh(episode)
