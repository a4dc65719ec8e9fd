"""Episode views: intake (new and edit), the episode page and the timeline."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from therapy.access.scoping import get_episode_or_404, get_patient_or_404
from therapy.clock import practice_today
from therapy.episodes.blueprint import bp
from therapy.episodes.forms import (
    IntakeForm,
    first_session_message,
    intake_form_data,
    patient_given_baselines,
)
from therapy.extensions import db
from therapy.forms.conflicts import ChangedField, show_conflict
from therapy.forms.saving import commit_save
from therapy.i18n.translation import gettext as _
from therapy.models import Amendment, Goal, TherapySession, TreatmentEpisode
from therapy.models.versioning import StaleEdit
from therapy.phq15.summary import phq15_summary_context
from therapy.services.alliance.checkin import QUESTIONS
from therapy.services.episodes.facts import (
    EPISODE_OVERVIEW,
    attended_count,
    episode_attendance,
    episode_fidelity,
    episode_psfs_course,
    goal_progress,
    psfs_mcid,
    psfs_summary,
)
from therapy.services.episodes.intake import (
    EpisodeAlreadyOpen,
    EpisodeClosed,
    GoalInUse,
    IntakeAfterSessions,
    PatientRated,
    first_session_date,
    open_episode,
    open_episode_of,
    update_intake,
)
from therapy.services.episodes.patient_answers import (
    EVERY_ANSWER_OVERVIEW,
    counted_from_every,
    patient_answers,
)
from therapy.services.episodes.planning import next_appointment
from therapy.services.episodes.timeline import FORMULATION_HISTORY, episode_timeline
from therapy.services.formulation.grid import active_entries, grid_cells
from therapy.services.patients.details import gp_options
from therapy.services.self_report.requests import episode_requests


def episode_url(patient_id: int, episode_id: int) -> str:
    """The episode page."""
    return url_for("episodes.detail", patient_id=patient_id, episode_id=episode_id)


@bp.route("/new", methods=["GET", "POST"])
def new(patient_id: int) -> str | Response:
    """Intake: open a treatment episode with the referral, request for help and PSFS goals."""
    patient = get_patient_or_404(patient_id)
    current = open_episode_of(patient.id)
    initial = None
    if request.method == "GET":
        today = practice_today()
        initial = {
            "started_on": today,
            "referral_date": today,
            "referred_by": str(patient.gp_id) if patient.gp_id else "",
            "planned_sessions": 9,
        }
    form = IntakeForm(gps=gp_options(), data=initial)
    if current is None and form.validate_on_submit():
        try:
            episode = open_episode(patient, form.details())
        except EpisodeAlreadyOpen:
            db.session.rollback()
            current = open_episode_of(patient.id)
        else:
            flash(
                _("The intake was saved. Log the first session when it has taken place."), "success"
            )
            return commit_save(episode_url(patient.id, episode.id))
    return render_template(
        "episodes/intake.html",
        form=form,
        patient=patient,
        episode=None,
        current=current,
        closed=False,
        conflict=False,
        patient_baselines={},
    )


@bp.route("/<int:episode_id>/intake", methods=["GET", "POST"])
def edit_intake(patient_id: int, episode_id: int) -> str | Response:
    """Correct the intake while the episode is open; a stale form never overwrites."""
    episode = get_episode_or_404(
        patient_id, episode_id, selectinload(TreatmentEpisode.goals).selectinload(Goal.ratings)
    )
    if episode.is_closed and request.method == "GET":
        flash(
            _(
                "This episode is closed: its intake can no longer be changed. "
                "Add an amendment instead."
            ),
            "warning",
        )
        return redirect(episode_url(patient_id, episode_id))
    initial = intake_form_data(episode) if request.method == "GET" else None
    form = IntakeForm(gps=gp_options(), data=initial, first_session=first_session_date(episode.id))
    conflict = closed = False
    changes: list[ChangedField] = []
    if form.validate_on_submit():
        try:
            update_intake(episode, form.details(), form.version.data)
        except EpisodeClosed:
            db.session.rollback()
            closed = True
        except StaleEdit:
            db.session.rollback()
            conflict = True
            saved = IntakeForm(formdata=None, gps=gp_options(), data=intake_form_data(episode))
            changes = show_conflict(form, saved, episode.version)
        except IntakeAfterSessions as error:
            db.session.rollback()  # a session was logged while this form was open
            form.started_on.errors.append(first_session_message(error.first_session))
        except GoalInUse as error:
            db.session.rollback()
            form.goals[error.position - 1].form.activity.errors.append(
                _(
                    "This goal was already rated in a session and cannot be removed. Mark it "
                    "“Dropped” in the next session instead."
                )
            )
        except PatientRated as error:
            db.session.rollback()
            _patient_rated(form, error)
        else:
            flash(_("The intake was saved."), "success")
            return commit_save(episode_url(patient_id, episode_id))
    return render_template(
        "episodes/intake.html",
        form=form,
        patient=episode.patient,
        episode=episode,
        current=None,
        closed=closed,
        conflict=conflict,
        changes=changes,
        patient_baselines=patient_given_baselines(episode),
    )


@bp.route("/<int:episode_id>")
def detail(patient_id: int, episode_id: int) -> str:
    """The episode: request for help, goals, sessions, protocol fidelity, closure."""
    episode = get_episode_or_404(
        patient_id,
        episode_id,
        *EVERY_ANSWER_OVERVIEW,
        selectinload(TreatmentEpisode.formulation_entries),
    )
    counted_from_every(episode)  # voided answers are shown, counted nowhere
    amendments = db.session.scalars(
        select(Amendment)
        .where(Amendment.episode_id == episode.id)
        .options(selectinload(Amendment.author))
        .order_by(Amendment.created_at, Amendment.id)
    ).all()
    entries = active_entries(episode.formulation_entries)
    return render_template(
        "episodes/detail.html",
        episode=episode,
        patient=episode.patient,
        fidelity=episode_fidelity(episode),
        attendance=episode_attendance(episode, practice_today()),
        next_planned=next_appointment(episode.id, practice_today()),
        progress=goal_progress(episode),
        psfs=psfs_summary(episode, psfs_mcid()),
        held=attended_count(episode),
        amendments=amendments,
        alliance_questions=QUESTIONS,
        # The formulation grid as it stands, read-only here; it is edited on its own page.
        cells=grid_cells(entries, key=lambda e: (e.dimension, e.factor)),
        sessions={s.id: s for s in episode.sessions},
        self_reports=episode_requests(episode.id),
        patient_answers=patient_answers(episode),
        **phq15_summary_context(episode),
    )


@bp.route("/<int:episode_id>/timeline")
def timeline(patient_id: int, episode_id: int) -> str:
    """The episode's story on one page, from intake to the last entry."""
    episode = get_episode_or_404(
        patient_id,
        episode_id,
        *EPISODE_OVERVIEW,
        selectinload(TreatmentEpisode.sessions).selectinload(TherapySession.techniques),
        selectinload(TreatmentEpisode.phq15_administrations),
        FORMULATION_HISTORY,
    )
    return render_template(
        "episodes/timeline.html",
        episode=episode,
        patient=episode.patient,
        timeline=episode_timeline(episode),
        course=episode_psfs_course(episode),
    )


def _patient_rated(form: IntakeForm, error: PatientRated) -> None:
    """The message beside a goal the patient rated themselves (their answer stays as given)."""
    row = form.goals[error.position - 1].form
    if error.removing:
        row.activity.errors.append(
            _(
                "The patient rated this goal themselves, so it cannot be removed. Mark it "
                "“Dropped” in the next session instead."
            )
        )
    else:
        row.baseline.errors.append(_("The patient’s own answer is not changed here."))
