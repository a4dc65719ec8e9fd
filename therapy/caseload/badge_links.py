"""Where each to-do badge leads: the page on which that thing is done."""

from __future__ import annotations

from flask import url_for

# Badge code (or its prefix, for the PHQ-15 alerts) -> the endpoint that deals with it.
_PAGES = {
    "phq15": "phq15.index",
    "goals_not_reviewed": "sessions.new",
    "checkin_missing": "sessions.new",
    "alliance": "episodes.detail",
    "missed_in_a_row": "episodes.planning",
    "no_attended_session": "episodes.planning",
    "attended_twice_on_a_day": "episodes.detail",
    "report_due": "documents.index",
    "letter_due": "documents.index",
}


def badge_url(code: str, patient_id: int, episode_id: int) -> str:
    """The page a badge links to; the episode page for a badge without a page of its own."""
    endpoint = _PAGES.get(code) or _PAGES.get(code.split("_")[0]) or "episodes.detail"
    return url_for(endpoint, patient_id=patient_id, episode_id=episode_id)
