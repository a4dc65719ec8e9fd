"""Voiding a check-in or PSFS rating the patient gave (issue 13), as a PHQ-15 is voided."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import abort, flash, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from therapy.access.scoping import get_checkin_or_404, get_episode_or_404, get_rating_or_404
from therapy.episodes.blueprint import bp
from therapy.extensions import db
from therapy.forms.saving import commit_save
from therapy.forms.void import VoidForm
from therapy.i18n.locale import format_day
from therapy.i18n.translation import gettext as _
from therapy.models import Goal, TherapySession, TreatmentEpisode
from therapy.models.types import utcnow
from therapy.services.alliance.void import void_checkin
from therapy.services.episodes.patient_answers import PatientAnswer, checkin_answer, rating_answer
from therapy.services.psfs.void import void_rating
from therapy.services.voiding import VoidRefused

Voider = Callable[..., None]


@bp.route("/<int:episode_id>/checkins/<int:checkin_id>/void", methods=["GET", "POST"])
def void_checkin_page(patient_id: int, episode_id: int, checkin_id: int) -> str | Response:
    """Void a check-in the patient answered, with a reason; the answers stay, voided."""
    checkin = get_checkin_or_404(patient_id, episode_id, checkin_id)
    session = db.session.get(TherapySession, checkin.session_id)
    if session is None:  # found through its session, so there is one
        abort(404)
    answer = checkin_answer(checkin, session)
    done = _("The check-in of session %(n)d was voided.", n=session.number)
    return _void_page(patient_id, episode_id, checkin, answer, void_checkin, done)


@bp.route("/<int:episode_id>/ratings/<int:rating_id>/void", methods=["GET", "POST"])
def void_rating_page(patient_id: int, episode_id: int, rating_id: int) -> str | Response:
    """Void a PSFS rating the patient gave, with a reason; the rating stays, voided."""
    rating = get_rating_or_404(patient_id, episode_id, rating_id)
    goal = db.session.get(Goal, rating.goal_id)
    if goal is None:  # found through its goal, so there is one
        abort(404)
    answer = rating_answer(rating, goal)
    done = _(
        "The rating of “%(activity)s” of %(date)s was voided.",
        activity=goal.activity,
        date=format_day(rating.rated_on),
    )
    return _void_page(patient_id, episode_id, rating, answer, void_rating, done)


def _void_page(
    patient_id: int,
    episode_id: int,
    row: object,
    answer: PatientAnswer,
    voider: Voider,
    done: str,
) -> str | Response:
    episode = get_episode_or_404(patient_id, episode_id, joinedload(TreatmentEpisode.patient))
    form = VoidForm()
    refusal = _void_refusal(answer, episode)
    if refusal is None and form.validate_on_submit():
        now: datetime = utcnow()
        try:
            voider(row, form.reason.data or "", voided_by_id=int(current_user.id), now=now)
        except VoidRefused as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, error.message]
        else:
            flash(done, "success")
            return commit_save(
                url_for(".detail", patient_id=patient_id, episode_id=episode_id)
                + "#patient-answers"
            )
    return render_template(
        "episodes/void.html",
        episode=episode,
        patient=episode.patient,
        answer=answer,
        form=form,
        refusal=refusal,
    )


def _void_refusal(answer: PatientAnswer, episode: TreatmentEpisode) -> str | None:
    """Why these answers cannot be voided now, or None."""
    if answer.voided_at is not None:
        return _("These answers were already voided; nothing more to do.")
    if not answer.voidable:
        return _(
            "Only answers the patient gave themselves are voided. These were entered by the "
            "therapist from paper."
        )
    if episode.is_closed:
        return _(
            "A closed episode is part of the medical record and is no longer changed; record "
            "the correction in an amendment."
        )
    return None
