"""The practice's calendar: what "today" is where the therapists work, not where the server is."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def practice_today() -> date:
    """Today's date in the practice's time zone (a session logged at 00:30 is today's)."""
    zone = ZoneInfo(str(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    return datetime.now(zone).date()
