"""Today: the therapist's start page, today's planned sessions in time order."""

from __future__ import annotations

from dataclasses import dataclass

from flask import redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from therapy.access.scoping import caseload_patients
from therapy.caseload.badge_links import badge_url
from therapy.caseload.blueprint import bp
from therapy.caseload.views import ShownBadge
from therapy.clock import practice_today
from therapy.services.caseload.today import TodayRow, today_rows


@dataclass(frozen=True)
class ShownPlanned:
    """A planned session as the page shows it, with its links."""

    time: str
    name: str
    record_number: str
    patient_url: str
    session_url: str  # the form for this planned session, or the session logged for it
    episode_url: str
    badges: tuple[ShownBadge, ...]
    logged_number: int | None  # the number of the session logged for it; None: to do


def _shown(row: TodayRow) -> ShownPlanned:
    patient_id, episode_id = row.patient_id, row.episode_id
    return ShownPlanned(
        time=row.starts_at.strftime("%H:%M"),
        name=row.name,
        record_number=row.record_number,
        patient_url=url_for("patients.detail", patient_id=row.patient_id),
        session_url=(
            url_for(
                "sessions.detail",
                patient_id=patient_id,
                episode_id=episode_id,
                session_id=row.session_id,
            )
            if row.session_id is not None
            # The form opens dated on the planned day and saves which session it logs.
            else url_for(
                "sessions.new",
                patient_id=patient_id,
                episode_id=episode_id,
                appointment=row.appointment_id,
            )
        ),
        episode_url=url_for("episodes.detail", patient_id=patient_id, episode_id=episode_id),
        badges=tuple(
            ShownBadge(
                b.code, str(b.label), str(b.detail), badge_url(b.code, patient_id, episode_id)
            )
            for b in row.badges
        ),
        logged_number=row.session_number,
    )


@bp.route("/today")
def today() -> str | Response:
    """Today's planned sessions in time order, each one click from its session form."""
    if current_user.is_practice_admin:
        return redirect(url_for("admin.accounts"))
    day = practice_today()
    rows = [_shown(row) for row in today_rows(caseload_patients(), day)]
    return render_template("caseload/today.html", day=day, rows=rows)
