"""Closing an episode, and amendments to a closed one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from therapy.access.scoping import get_episode_or_404
from therapy.clock import practice_today
from therapy.episodes.blueprint import bp
from therapy.episodes.closing_forms import AmendmentForm, CloseForm
from therapy.episodes.views import episode_url
from therapy.extensions import db
from therapy.forms.conflicts import take_over_version
from therapy.i18n.translation import gettext as _
from therapy.models import Goal, TreatmentEpisode
from therapy.models.enums import EndingReason, GoalStatus
from therapy.models.versioning import StaleEdit
from therapy.services.episodes.closing import (
    ClosingDetails,
    EpisodeStillOpen,
    add_amendment,
    close_episode,
    goals_to_rate_at_end,
)
from therapy.services.episodes.facts import last_session_date, latest_scores
from therapy.services.episodes.intake import EpisodeClosed
from therapy.services.phq15.alerts import end_of_treatment_missing


@bp.route("/<int:episode_id>/close", methods=["GET", "POST"])
def close(patient_id: int, episode_id: int) -> str | Response:
    """Close the episode: outcome, reason for ending, relapse prevention, final PSFS."""
    episode = get_episode_or_404(
        patient_id,
        episode_id,
        selectinload(TreatmentEpisode.goals).selectinload(Goal.ratings),
        selectinload(TreatmentEpisode.sessions),
        selectinload(TreatmentEpisode.patient),
    )
    if episode.is_closed and request.method == "GET":
        flash(
            _("This episode is already closed. Add an amendment to correct or add to it."),
            "warning",
        )
        return redirect(episode_url(patient_id, episode_id))
    goals = goals_to_rate_at_end(episode)
    initial = None
    if request.method == "GET":
        initial = {
            "closed_on": practice_today(),
            "version": episode.version,
            "final_ratings": [{"goal_id": goal.id, "status": goal.status.value} for goal in goals],
        }
    earliest = max(filter(None, (episode.started_on, last_session_date(episode))))
    form = CloseForm(data=initial, earliest=earliest)
    conflict = closed = goals_changed = False
    posted_goals = {entry.form.goal_id.data for entry in form.final_ratings}
    if form.is_submitted() and episode.is_closed:
        closed = True  # closed in another tab while this form was open: keep what was typed
    elif form.is_submitted() and posted_goals != {goal.id for goal in goals}:
        goals_changed = True
    elif form.validate_on_submit():
        details = ClosingDetails(
            closed_on=form.closed_on.data,
            ending_reason=EndingReason(form.ending_reason.data),
            ending_reason_detail=form.ending_reason_detail.data or "",
            outcome=form.outcome.data or "",
            relapse_prevention=form.relapse_prevention.data or "",
            advice=form.advice.data or "",
            advice_patient=form.advice_patient.data or "",
            final_ratings={
                int(entry.form.goal_id.data): entry.form.score.data
                for entry in form.final_ratings
                if entry.form.score.data is not None
            },
            final_statuses={
                int(entry.form.goal_id.data): GoalStatus(entry.form.status.data)
                for entry in form.final_ratings
                if entry.form.status.data
            },
        )
        try:
            close_episode(episode, details, form.version.data, int(current_user.id))
            db.session.commit()
        except EpisodeClosed:
            db.session.rollback()
            closed = True
        except StaleEdit:
            db.session.rollback()
            conflict = True
            # The episode changed (not the closing text, which is only in this form): the
            # next save closes it knowingly, with what was typed here.
            take_over_version(form, episode.version)
        else:
            flash(
                _(
                    "The episode is closed. It is now read-only; the report and the GP letter "
                    "can be written."
                ),
                "success",
            )
            return redirect(episode_url(patient_id, episode_id))
    return render_template(
        "episodes/close.html",
        form=form,
        episode=episode,
        patient=episode.patient,
        goals={goal.id: goal for goal in goals},
        last_scores=latest_scores(goals),
        # A reminder, not a refusal: a patient who dropped out may never fill one in.
        phq15_due=end_of_treatment_missing(episode.id),
        conflict=conflict,
        closed=closed,
        goals_changed=goals_changed,
    )


@bp.route("/<int:episode_id>/amendments/new", methods=["GET", "POST"])
def amend(patient_id: int, episode_id: int) -> str | Response:
    """Add an amendment to a closed episode; the original record stays as it was."""
    episode = get_episode_or_404(patient_id, episode_id, selectinload(TreatmentEpisode.patient))
    form = AmendmentForm()
    if episode.is_closed and form.validate_on_submit():
        try:
            add_amendment(
                episode, int(current_user.id), form.text.data or "", form.target.data or ""
            )
            db.session.commit()
        except EpisodeStillOpen:
            db.session.rollback()
        else:
            flash(_("The amendment was added to the record."), "success")
            return redirect(episode_url(patient_id, episode_id))
    return render_template(
        "episodes/amend.html", form=form, episode=episode, patient=episode.patient
    )
