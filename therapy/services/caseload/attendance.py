"""The caseload's attendance badges: the episode's attendance rules, read from its few rows."""

from __future__ import annotations

from datetime import date

from therapy.i18n.translation import lazy_gettext as _l
from therapy.services.episodes.attendance import (
    GAP,
    GAP_DAYS,
    MISSED,
    SAME_DAY,
    AttendanceFinding,
    attendance_findings,
    badge_codes,
)
from therapy.services.protocol.fidelity import SessionFacts

# Short label and the sentence behind it, per rule.
BADGE_WORDS = {
    MISSED: (
        _l("Missed sessions"),
        _l("The latest sessions were missed in a row (cancelled or no-show)."),
    ),
    GAP: (
        _l("No recent session"),
        _l(
            "No session was attended in the last %(days)d days while the episode is in treatment.",
            days=GAP_DAYS,
        ),
    ),
    SAME_DAY: (
        _l("Two sessions on a day"),
        _l("More than one session was logged as attended on the same day; check the dates."),
    ),
}


def attendance_badge_codes(
    visits: list[SessionFacts], *, in_treatment: bool, started_on: date, today: date
) -> list[str]:
    """The attendance badges of an open episode, from the sessions the caseload fetched (the
    last two attended and missed ones, and those sharing a day): enough for every badge rule.
    """
    findings: list[AttendanceFinding] = attendance_findings(
        visits, in_treatment=in_treatment, started_on=started_on, today=today
    )
    return badge_codes(findings)
