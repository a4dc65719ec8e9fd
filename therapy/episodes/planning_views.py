"""Planned sessions of an episode: plan one or a series, move or cancel one (or cancel the rest
of a series) with a reason."""

from __future__ import annotations

from datetime import date, time
from typing import cast

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from therapy.access.scoping import get_appointment_or_404, get_episode_or_404
from therapy.clock import practice_today
from therapy.episodes.blueprint import bp
from therapy.episodes.planning_forms import THIS_AND_LATER, ChangeForm, PlanForm
from therapy.episodes.views import episode_url
from therapy.extensions import db
from therapy.forms.saving import commit_save
from therapy.i18n.translation import gettext as _
from therapy.i18n.translation import ngettext
from therapy.models import Appointment, TreatmentEpisode
from therapy.models.enums import Repeat
from therapy.services.episodes.planning import (
    AlreadyLogged,
    NothingToChange,
    cancel,
    cancel_from,
    episode_appointments,
    move,
    plan_series,
)


def planning_url(episode: TreatmentEpisode) -> str:
    """The episode's planning page."""
    return url_for("episodes.planning", patient_id=episode.patient_id, episode_id=episode.id)


def _closed(episode: TreatmentEpisode) -> Response:
    flash(_("This episode is closed: no sessions can be planned for it."), "warning")
    return redirect(episode_url(episode.patient_id, episode.id))


def _logged(episode: TreatmentEpisode) -> Response:
    flash(
        _(
            "A session was logged for this planned session: it can no longer be moved or "
            "cancelled. Change the logged session instead."
        ),
        "warning",
    )
    return redirect(planning_url(episode))


def _change(appointment: Appointment, form: ChangeForm) -> str:
    """Make the change the form asks for; the message that says what was done."""
    reason = form.reason.data or ""
    if form.action.data == "move":
        # A move needs both (ChangeForm's validators).
        day, at = cast(date, form.planned_on.data), cast(time, form.starts_at.data)
        move(appointment, day, at, reason)
        return _("The session was moved.")
    if form.scope.data == THIS_AND_LATER:
        cancelled = cancel_from(appointment, reason)
        return ngettext(
            "%(num)d session was cancelled.", "%(num)d sessions were cancelled.", len(cancelled)
        )
    cancel(appointment, reason)
    return _("The session was cancelled.")


@bp.route("/<int:episode_id>/planning", methods=["GET", "POST"])
def planning(patient_id: int, episode_id: int) -> str | Response:
    """The episode's planned sessions from today on, and a form to plan more."""
    episode = get_episode_or_404(patient_id, episode_id)
    if episode.is_closed:
        return _closed(episode)
    today = practice_today()
    form = PlanForm(data={"first_on": today, "count": 6})
    if form.validate_on_submit():
        planned = plan_series(
            episode,
            int(current_user.id),
            cast(date, form.first_on.data),  # both required: validated above
            cast(time, form.starts_at.data),
            Repeat(form.repeat.data),
            form.count.data or 1,
        )
        flash(
            ngettext(
                "%(num)d session was planned.", "%(num)d sessions were planned.", len(planned)
            ),
            "success",
        )
        return commit_save(planning_url(episode))
    return render_template(
        "episodes/planning.html",
        episode=episode,
        patient=episode.patient,
        form=form,
        appointments=episode_appointments(episode.id, today),
    )


@bp.route("/<int:episode_id>/planning/<int:appointment_id>", methods=["GET", "POST"])
def change_appointment(patient_id: int, episode_id: int, appointment_id: int) -> str | Response:
    """Move a planned session to another day or time, or cancel it (or it and the later ones
    of its episode), with the reason; a session logged for it already is left alone."""
    appointment = get_appointment_or_404(patient_id, episode_id, appointment_id)
    episode = get_episode_or_404(patient_id, episode_id)
    if episode.is_closed:
        return _closed(episode)
    if appointment.is_logged:
        return _logged(episode)
    form = ChangeForm(
        data={"planned_on": appointment.planned_on, "starts_at": appointment.starts_at}
    )
    if form.validate_on_submit():
        try:
            message = _change(appointment, form)
        except NothingToChange:
            db.session.rollback()
            flash(_("This session was cancelled already; nothing was changed."), "warning")
            return redirect(planning_url(episode))
        except AlreadyLogged:
            db.session.rollback()
            return _logged(episode)
        flash(message, "success")
        return commit_save(planning_url(episode))
    return render_template(
        "episodes/appointment.html",
        episode=episode,
        patient=episode.patient,
        appointment=appointment,
        form=form,
    )
