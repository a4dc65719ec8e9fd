"""Who gave the answers a document prints (DOMAIN.md §9), in words for the reader."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from therapy.i18n.labels import ANSWER_SOURCE_LABELS
from therapy.models.enums import AnswerSource

# The order a reader meets them in: the patient's own answers first.
_ORDER = (AnswerSource.PATIENT_DEVICE, AnswerSource.PATIENT_LINK, AnswerSource.THERAPIST_PAPER)


def answered_by(source: AnswerSource) -> str:
    """One answer's source: "answered by the patient with a personal link"."""
    return str(ANSWER_SOURCE_LABELS[source])


def sources_counted(sources: Iterable[AnswerSource]) -> str:
    """Many answers' sources with their counts: "3 answered by the patient on the practice's
    device, 5 entered by the therapist from paper"; empty when there are none."""
    counts = Counter(sources)
    return ", ".join(f"{counts[s]} {answered_by(s)}" for s in _ORDER if counts[s])
