"""SCEBS notes of a session added to the 4P grid: the note's dimension, the chosen P."""

from __future__ import annotations

from collections.abc import Mapping

from therapy.models import FormulationEntry, TherapySession, TreatmentEpisode
from therapy.models.enums import FormulationFactor, ScebsDimension
from therapy.services.formulation.grid import add_entry


def add_session_notes(
    episode: TreatmentEpisode,
    session: TherapySession,
    picks: Mapping[ScebsDimension, FormulationFactor],
    user_id: int,
) -> list[FormulationEntry]:
    """Add each picked SCEBS note as a factor that came up in this session.

    A note already on the grid in the same cell from the same session is not added twice
    (the same form saved again after an edit). Nothing picked reads nothing.
    """
    if not picks:
        return []
    already = {
        (entry.dimension, entry.factor, entry.text)
        for entry in episode.formulation_entries
        if entry.session_id == session.id and entry.withdrawn_at is None
    }
    added = []
    for dimension, factor in picks.items():
        text = getattr(session, f"scebs_{dimension.value}")
        if not text or (dimension, factor, text) in already:
            continue
        added.append(
            add_entry(
                episode,
                dimension=dimension,
                factor=factor,
                text=text,
                session_id=session.id,
                user_id=user_id,
            )
        )
    return added
