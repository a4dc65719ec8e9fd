"""Formulation views: the grid, adding, editing and withdrawing entries, and their history."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from therapy.access.scoping import get_episode_or_404, get_formulation_entry_or_404
from therapy.extensions import db
from therapy.formulation.blueprint import bp
from therapy.formulation.forms import (
    NO_SESSION,
    AddEntryForm,
    CellEntryForm,
    EditEntryForm,
    WithdrawEntryForm,
)
from therapy.i18n.translation import gettext as _
from therapy.models import FormulationEntry, TreatmentEpisode, User
from therapy.models.enums import Attendance
from therapy.services.formulation.grid import (
    EntryWithdrawnError,
    EpisodeClosedError,
    SessionNotInEpisodeError,
    StaleEntryError,
    active_entries,
    add_entry,
    edit_entry,
    entry_history,
    grid_cells,
    withdraw_entry,
)

_EPISODE_PAGE = (
    joinedload(TreatmentEpisode.patient),
    selectinload(TreatmentEpisode.sessions),
)


def _to_grid(patient_id: int, episode_id: int) -> Response:
    return redirect(url_for("formulation.grid", patient_id=patient_id, episode_id=episode_id))


def _read_only(patient_id: int, episode_id: int) -> Response:
    flash(
        _("This episode is closed: its formulation can be read but no longer changed."), "warning"
    )
    return _to_grid(patient_id, episode_id)


@bp.route("")
def grid(patient_id: int, episode_id: int) -> str:
    """The 5 x 4 grid of the episode's current factors, and the withdrawn ones below it."""
    episode = get_episode_or_404(
        patient_id, episode_id, *_EPISODE_PAGE, selectinload(TreatmentEpisode.formulation_entries)
    )
    entries = active_entries(episode.formulation_entries)
    withdrawn = [e for e in episode.formulation_entries if e.withdrawn_at is not None]
    attended = [s for s in episode.sessions if s.attendance == Attendance.ATTENDED]
    # Most factors come up in the latest session: it is the one preselected in each cell.
    latest = max(attended, key=lambda s: s.number).id if attended else NO_SESSION
    cell_form = CellEntryForm(formdata=None, data={"session_id": latest})
    cell_form.set_sessions(episode.sessions)
    return render_template(
        "formulation/grid.html",
        episode=episode,
        patient=episode.patient,
        cells=grid_cells(entries, key=lambda e: (e.dimension, e.factor)),
        withdrawn=withdrawn,
        sessions={s.id: s for s in episode.sessions},
        cell_form=cell_form,
    )


@bp.route("/new", methods=["GET", "POST"])
def add(patient_id: int, episode_id: int) -> str | Response:
    """Add a factor to a cell, optionally naming the session it came up in."""
    episode = get_episode_or_404(patient_id, episode_id, *_EPISODE_PAGE)
    if episode.is_closed:
        return _read_only(patient_id, episode_id)
    form = AddEntryForm(
        dimension=request.args.get("dimension"),
        factor=request.args.get("factor"),
        session_id=request.args.get("session_id", NO_SESSION, type=int),
    )
    form.set_sessions(episode.sessions)
    if form.validate_on_submit():
        try:
            add_entry(
                episode,
                dimension=form.dimension.data,
                factor=form.factor.data,
                text=form.text.data or "",
                session_id=form.chosen_session_id,
                user_id=current_user.id,
            )
        except SessionNotInEpisodeError:
            form.session_id.errors.append(_("Choose one of this episode's sessions."))
        except EpisodeClosedError:
            return _read_only(patient_id, episode_id)
        else:
            db.session.commit()
            flash(_("The factor has been added to the formulation."), "success")
            return _to_grid(patient_id, episode_id)
    return render_template(
        "formulation/entry_form.html", form=form, episode=episode, patient=episode.patient
    )


@bp.route("/<int:entry_id>/edit", methods=["GET", "POST"])
def edit(patient_id: int, episode_id: int, entry_id: int) -> str | Response:
    """Change an entry's text or session; the old text stays in its history."""
    episode = get_episode_or_404(patient_id, episode_id, *_EPISODE_PAGE)
    entry = get_formulation_entry_or_404(patient_id, episode_id, entry_id)
    if episode.is_closed:
        return _read_only(patient_id, episode_id)
    if entry.withdrawn_at is not None:
        flash(_("This entry has been withdrawn; its history is shown here."), "info")
        return redirect(url_for(".history", **request.view_args))  # type: ignore[arg-type]
    form = EditEntryForm(
        data={"text": entry.text, "session_id": entry.session_id or NO_SESSION}
        | {"version": entry.version}
    )
    form.set_sessions(episode.sessions, kept=entry.session_id)
    conflict: FormulationEntry | None = None
    if form.validate_on_submit():
        try:
            changed = edit_entry(
                entry,
                expected_version=int(form.version.data or 0),
                text=form.text.data or "",
                session_id=form.chosen_session_id,
                user_id=current_user.id,
            )
        except StaleEntryError as stale:
            db.session.rollback()
            conflict = stale.entry
            if conflict.withdrawn_at is not None:
                flash(_("Someone withdrew this entry while you were editing it."), "warning")
                return redirect(url_for(".history", **request.view_args))  # type: ignore[arg-type]
            # The next save is made knowingly over the newer version; the typed text stays.
            form.version.data = conflict.version
            form.version.raw_data = [str(conflict.version)]
        except SessionNotInEpisodeError:
            form.session_id.errors.append(_("Choose one of this episode's sessions."))
        except EpisodeClosedError:
            return _read_only(patient_id, episode_id)
        else:
            db.session.commit()
            if changed:
                flash(
                    _("The entry has been changed; the earlier text is in its history."), "success"
                )
            return _to_grid(patient_id, episode_id)
    return render_template(
        "formulation/entry_form.html",
        form=form,
        episode=episode,
        patient=episode.patient,
        entry=entry,
        conflict=conflict,
        withdraw_form=WithdrawEntryForm(data={"version": entry.version}),
        sessions={s.id: s for s in episode.sessions},
    )


@bp.route("/<int:entry_id>/withdraw", methods=["POST"])
def withdraw(patient_id: int, episode_id: int, entry_id: int) -> Response:
    """Take an entry off the grid; it stays in the history."""
    entry = get_formulation_entry_or_404(patient_id, episode_id, entry_id)
    back = url_for(".edit", patient_id=patient_id, episode_id=episode_id, entry_id=entry_id)
    form = WithdrawEntryForm()
    if not form.validate_on_submit():
        flash(_("The entry could not be withdrawn: please try again."), "error")
        return redirect(back)
    try:
        withdraw_entry(entry, expected_version=int(form.version.data or 0), user_id=current_user.id)
    except EpisodeClosedError:
        return _read_only(patient_id, episode_id)
    except EntryWithdrawnError:
        flash(_("This entry had already been withdrawn."), "info")
        return _to_grid(patient_id, episode_id)
    except StaleEntryError:
        db.session.rollback()
        flash(
            _("Someone changed this entry meanwhile. Read it again before withdrawing."), "warning"
        )
        return redirect(back)
    db.session.commit()
    flash(_("The entry has been withdrawn; it stays in the history."), "success")
    return _to_grid(patient_id, episode_id)


@bp.route("/<int:entry_id>/history")
def history(patient_id: int, episode_id: int, entry_id: int) -> str:
    """Every version of an entry, who wrote it and when, and its withdrawal."""
    episode = get_episode_or_404(patient_id, episode_id, *_EPISODE_PAGE)
    entry = get_formulation_entry_or_404(
        patient_id, episode_id, entry_id, selectinload(FormulationEntry.revisions)
    )
    steps = entry_history(entry)
    author_ids = {step.author_id for step in steps}
    authors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(author_ids)))}
    return render_template(
        "formulation/history.html",
        episode=episode,
        patient=episode.patient,
        entry=entry,
        steps=list(reversed(steps)),
        authors=authors,
        sessions={s.id: s for s in episode.sessions},
    )
