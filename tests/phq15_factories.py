"""PHQ-15 test data, stored through the recording service so totals are really scored."""

from __future__ import annotations

from datetime import date

from therapy.models import Phq15Administration, TreatmentEpisode
from therapy.models.enums import Phq15Timepoint
from therapy.services.phq15.records import record_administration

_ANSWER = {"0": 0, "1": 1, "2": 2, "n": "na", "x": None}


def answers(codes: str) -> list[int | str | None]:
    """Fifteen answers from the shorthand 0/1/2, n (not applicable), x (missing)."""
    codes = codes.replace(" ", "")
    assert len(codes) == 15, codes
    return [_ANSWER[code] for code in codes]


def make_phq15(
    episode: TreatmentEpisode,
    codes: str,
    day: date,
    timepoint: Phq15Timepoint = Phq15Timepoint.BASELINE,
    *,
    session_id: int | None = None,
    note: str = "",
) -> Phq15Administration:
    """Record one administration for the episode's patient (flushed, not committed)."""
    return record_administration(
        episode,
        episode.patient.sex,
        answers(codes),
        timepoint=timepoint,
        administered_on=day,
        today=date.max,
        entered_by_id=episode.therapist_id,
        session_id=session_id,
        timepoint_note=note or ("weekly" if timepoint is Phq15Timepoint.OTHER else ""),
    )
