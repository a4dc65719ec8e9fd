"""What other pages need to show PHQ-15: the episode card's context and the caseload alerts."""

from __future__ import annotations

from collections.abc import Iterable

from therapy.models import TreatmentEpisode
from therapy.services.phq15.alerts import Phq15Alert, alerts_for_episodes
from therapy.services.phq15.summary import Phq15Summary, summarise_episode


def phq15_summary_context(episode: TreatmentEpisode) -> dict[str, Phq15Summary]:
    """Context for ``{% include "phq15/_summary.html" %}`` on the episode page (3 queries)."""
    return {"phq15_summary": summarise_episode(episode)}


def phq15_caseload_alerts(episode_ids: Iterable[int]) -> dict[str, dict[int, list[Phq15Alert]]]:
    """Context for the caseload's badges: ``alert_badges(phq15_alerts.get(row.episode_id, []))``.

    The ids must be the scoped caseload's own episodes; three queries however many there are.
    """
    return {"phq15_alerts": alerts_for_episodes(episode_ids)}
