"""Session views: log the next session, edit one, read one."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from therapy.access.scoping import get_episode_or_404, get_session_or_404
from therapy.clock import practice_today
from therapy.episodes.views import episode_url
from therapy.extensions import db
from therapy.forms.conflicts import ChangedField, show_conflict
from therapy.forms.saving import commit_save
from therapy.i18n.translation import gettext as _
from therapy.i18n.translation import ngettext
from therapy.models import Goal, TherapySession, TreatmentEpisode
from therapy.models.versioning import StaleEdit
from therapy.services.accounts.snippets import own_snippets
from therapy.services.alliance.checkin import LEFT_UNSAID, NOT_VALIDATED, QUESTIONS
from therapy.services.episodes.facts import latest_scores
from therapy.services.episodes.intake import EpisodeClosed
from therapy.services.episodes.session_log import (
    GoalsChanged,
    SessionLimitReached,
    goals_to_review,
    last_attended_before,
    log_session,
    neighbours,
    next_session_number,
    update_session,
)
from therapy.services.formulation.from_session import add_session_notes
from therapy.services.protocol.elements import (
    PROTOCOL_MAX_MINUTES,
    PROTOCOL_MIN_MINUTES,
    TECHNIQUES,
)
from therapy.sessions.blueprint import bp
from therapy.sessions.form_data import (
    carried_elements,
    grid_picks,
    new_session_data,
    session_entry,
    session_form_data,
)
from therapy.sessions.forms import SCEBS_PROMPTS, SessionForm

_EPISODE_FOR_FORM = (
    joinedload(TreatmentEpisode.patient),
    selectinload(TreatmentEpisode.goals).selectinload(Goal.ratings),
)
TECHNIQUE_LABELS = {t.code: t.label for techniques in TECHNIQUES.values() for t in techniques}
_SESSION_DETAIL = (selectinload(TherapySession.techniques), selectinload(TherapySession.alliance))


def _closed_redirect(episode: TreatmentEpisode) -> Response:
    flash(
        _(
            "This episode is closed: sessions can no longer be added or changed. "
            "Add an amendment instead."
        ),
        "warning",
    )
    return redirect(episode_url(episode.patient_id, episode.id))


def _saved(
    episode: TreatmentEpisode, session: TherapySession, created: bool, to_grid: int = 0
) -> Response:
    """The saved session's messages, then its one commit and the way back to the episode."""
    if created:
        flash(_("Session %(number)d was saved.", number=session.number), "success")
    else:
        flash(_("Session %(number)d was updated.", number=session.number), "success")
    if to_grid:
        flash(
            ngettext(
                "%(num)d SCEBS note was added to the formulation.",
                "%(num)d SCEBS notes were added to the formulation.",
                to_grid,
            ),
            "success",
        )
    duration = session.duration_minutes
    if duration is not None and not PROTOCOL_MIN_MINUTES <= duration <= PROTOCOL_MAX_MINUTES:
        flash(
            _(
                "Saved with a warning: %(minutes)d minutes is outside the protocol's "
                "%(low)d–%(high)d minutes.",
                minutes=duration,
                low=PROTOCOL_MIN_MINUTES,
                high=PROTOCOL_MAX_MINUTES,
            ),
            "warning",
        )
    return commit_save(episode_url(episode.patient_id, episode.id))


@bp.route("/new", methods=["GET", "POST"])
def new(patient_id: int, episode_id: int) -> str | Response:
    """Log the next session of the episode in one form."""
    episode = get_episode_or_404(patient_id, episode_id, *_EPISODE_FOR_FORM)
    if episode.is_closed and request.method == "GET":
        return _closed_redirect(episode)
    goals = goals_to_review(episode)
    number = next_session_number(episode.id)
    initial = last = None
    if request.method == "GET":
        # The last attended session beside the fields; a save does not read it.
        last = last_attended_before(episode.id, number)
        initial = new_session_data(goals, practice_today())
        _carry_into(initial, last, request.args.getlist("carry"))
    # A new session is dated on or after the last one logged.
    previous, _following = neighbours(episode.id, number)
    form = SessionForm(data=initial, earliest=episode.started_on, previous=previous)
    problem = None
    if episode.is_closed and form.is_submitted():
        problem = "closed"
    elif form.validate_on_submit():
        try:
            # The service flushes, so a number taken meanwhile is refused here; the one
            # commit of the save is made with its messages by _saved (commit_save).
            session = log_session(episode, int(current_user.id), session_entry(form))
            added = add_session_notes(episode, session, grid_picks(form), int(current_user.id))
        except GoalsChanged:
            db.session.rollback()
            problem = "goals_changed"
        except (SessionLimitReached, IntegrityError):
            # IntegrityError: another tab took this session number at the same moment.
            db.session.rollback()
            problem = "number_taken"
        else:
            return _saved(episode, session, created=True, to_grid=len(added))
    if request.method != "GET":
        # Shown again with its messages: the number may have been taken meanwhile.
        number = next_session_number(episode.id)
        last = last_attended_before(episode.id, number)
    carried = carried_elements(last) if last is not None else None
    return _render(form, episode, None, goals, number, problem, last=last, carried=carried)


def _carry_into(initial: dict[str, Any], last: TherapySession | None, carry: list[str]) -> None:
    """ "Copy last home exercises" and "Same elements as last time" without JavaScript: the
    form opens with them filled in."""
    if last is None:
        return
    if "home" in carry:
        initial["home_exercises"] = last.home_exercises
    if "elements" in carry:
        initial.update(carried_elements(last))


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
def edit(patient_id: int, episode_id: int, session_id: int) -> str | Response:
    """Edit a logged session; a stale form never overwrites."""
    episode = get_episode_or_404(patient_id, episode_id, *_EPISODE_FOR_FORM)
    session = get_session_or_404(patient_id, episode_id, session_id, *_SESSION_DETAIL)
    if episode.is_closed and request.method == "GET":
        return _closed_redirect(episode)
    goals = goals_to_review(episode, session)
    initial = session_form_data(session, goals) if request.method == "GET" else None
    previous, following = neighbours(episode.id, session.number)
    form = SessionForm(
        data=initial, earliest=episode.started_on, previous=previous, following=following
    )
    problem = None
    changes: list[ChangedField] = []
    if episode.is_closed and form.is_submitted():
        problem = "closed"
    elif form.validate_on_submit():
        try:
            update_session(episode, session, session_entry(form), form.version.data)
            added = add_session_notes(episode, session, grid_picks(form), int(current_user.id))
        except EpisodeClosed:
            db.session.rollback()
            problem = "closed"
        except StaleEdit:
            db.session.rollback()
            problem = "conflict"
            saved = SessionForm(
                formdata=None,
                data=session_form_data(session, goals_to_review(episode, session)),
                earliest=episode.started_on,
            )
            changes = show_conflict(form, saved, session.version)
        except GoalsChanged:
            db.session.rollback()
            problem = "goals_changed"
        else:
            return _saved(episode, session, created=False, to_grid=len(added))
    return _render(form, episode, session, goals, session.number, problem, changes)


@bp.route("/<int:session_id>")
def detail(patient_id: int, episode_id: int, session_id: int) -> str:
    """One session as recorded, read-only."""
    episode = get_episode_or_404(patient_id, episode_id, *_EPISODE_FOR_FORM)
    session = get_session_or_404(patient_id, episode_id, session_id, *_SESSION_DETAIL)
    scores = {
        rating.goal_id: rating.score
        for goal in episode.goals
        for rating in goal.ratings
        if rating.session_id == session.id
    }
    return render_template(
        "sessions/detail.html",
        episode=episode,
        patient=episode.patient,
        session=session,
        scores=scores,
        alliance_questions=QUESTIONS,
        alliance_left_unsaid=LEFT_UNSAID,
        technique_labels=TECHNIQUE_LABELS,
        scebs_prompts=SCEBS_PROMPTS,
    )


def _render(
    form: SessionForm,
    episode: TreatmentEpisode,
    session: TherapySession | None,
    goals: list[Goal],
    number: int,
    problem: str | None,
    changes: list[ChangedField] | None = None,
    last: TherapySession | None = None,
    carried: dict[str, dict[str, Any]] | None = None,
) -> str:
    last_scores = latest_scores(goals, session.id if session else None)
    return render_template(
        "sessions/form.html",
        form=form,
        episode=episode,
        patient=episode.patient,
        session=session,
        number=number,
        goals={goal.id: goal for goal in goals},
        last_scores=last_scores,
        problem=problem,
        changes=changes or [],
        alliance_note=NOT_VALIDATED,
        last=last,  # the last attended session, carried forward beside the fields
        snippets=own_snippets(int(current_user.id)),
        # The last session's minutes and techniques, for "Same elements as last time".
        carried=carried if carried and any(e["minutes"] for e in carried.values()) else None,
        technique_labels=TECHNIQUE_LABELS,
    )
