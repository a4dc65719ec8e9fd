"""PHQ-15 views: the episode's results and chart, the entry form, one administration's answers."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from therapy.access.scoping import get_administration_or_404, get_episode_or_404
from therapy.extensions import db
from therapy.forms.saving import commit_save
from therapy.forms.void import VoidForm
from therapy.i18n.locale import format_day, practice_today
from therapy.i18n.translation import gettext as _
from therapy.models import Phq15Administration, TreatmentEpisode
from therapy.models.enums import Phq15Timepoint
from therapy.models.types import utcnow
from therapy.phq15.blueprint import bp
from therapy.phq15.forms import Phq15Form
from therapy.services.phq15 import scoring as phq15
from therapy.services.phq15 import words
from therapy.services.phq15.records import Phq15InputError, record_administration, result_of
from therapy.services.phq15.records import session_number_of as _session_number
from therapy.services.phq15.summary import summarise_episode, trajectory_svg
from therapy.services.phq15.void import VoidRefused, can_be_voided, void_administration
from therapy.svg.inline import inline_svg


def _episode(patient_id: int, episode_id: int) -> TreatmentEpisode:
    return get_episode_or_404(patient_id, episode_id, joinedload(TreatmentEpisode.patient))


@bp.route("/phq15")
def index(patient_id: int, episode_id: int) -> str:
    """Every PHQ-15 of the episode: baseline band, change, alerts, chart and the list."""
    episode = _episode(patient_id, episode_id)
    summary = summarise_episode(episode)
    # The chart module escapes every text it draws (tested with hostile labels), and
    # inline_svg refuses anything but drawing elements.
    chart = inline_svg(trajectory_svg(summary, width=880, height=320, title=_("PHQ-15 over time")))
    return render_template(
        "phq15/index.html", episode=episode, patient=episode.patient, summary=summary, chart=chart
    )


@bp.route("/phq15/new", methods=["GET", "POST"])
def new(patient_id: int, episode_id: int) -> str | Response:
    """Enter a PHQ-15; the server scores it and stores the answers with the result."""
    episode = get_episode_or_404(
        patient_id,
        episode_id,
        joinedload(TreatmentEpisode.patient),
        selectinload(TreatmentEpisode.sessions),
    )
    form = Phq15Form(sessions=episode.sessions, sex=episode.patient.sex, today=practice_today())
    asked = request.args.get("timepoint", "")
    if request.method == "GET" and asked in {timepoint.value for timepoint in Phq15Timepoint}:
        form.timepoint.data = asked  # opened from a reminder ("record the end-of-treatment")
    if form.validate_on_submit():
        try:
            administration = record_administration(
                episode,
                episode.patient.sex,
                form.answers(),
                timepoint=Phq15Timepoint(form.timepoint.data),
                administered_on=form.administered_on.data,
                today=form.today,
                entered_by_id=current_user.id,
                session_id=int(form.session_id.data) if form.session_id.data else None,
                timepoint_note=form.timepoint_note.data or "",
            )
        except Phq15InputError as error:
            db.session.rollback()
            target = getattr(form, error.field, None) or form.quick
            target.errors = [*target.errors, error.message]
        else:
            flash(_saved_message(administration), "success")
            return commit_save(url_for(".index", patient_id=patient_id, episode_id=episode_id))
    return render_template(
        "phq15/form.html",
        episode=episode,
        patient=episode.patient,
        form=form,
        stem=words.STEM,
        answer_labels=words.ANSWER_LABELS,
        copyright=words.COPYRIGHT,
    )


def _saved_message(administration: Phq15Administration) -> str:
    total = administration.total
    if total is None:
        return _("PHQ-15 saved. More than 3 items are missing, so it has no total.")
    if administration.item_04_not_applicable:
        return _("PHQ-15 saved: total %(total)d out of 28.", total=total)
    return _("PHQ-15 saved: total %(total)d.", total=total)


@bp.route("/phq15/<int:administration_id>")
def detail(patient_id: int, episode_id: int, administration_id: int) -> str:
    """One administration: the raw answers item by item, and how the total was obtained."""
    administration = get_administration_or_404(patient_id, episode_id, administration_id)
    episode = _episode(patient_id, episode_id)
    result = result_of(administration, _session_number(administration))
    rows = list(zip(phq15.ITEMS, result.answers, strict=True))
    return render_template(
        "phq15/detail.html",
        can_void=can_be_voided(administration) and not episode.is_closed,
        episode=episode,
        patient=episode.patient,
        result=result,
        rows=rows,
        answer_labels=words.ANSWER_LABELS,
        not_applicable=phq15.NOT_APPLICABLE,
    )


@bp.route("/phq15/<int:administration_id>/void", methods=["GET", "POST"])
def void(patient_id: int, episode_id: int, administration_id: int) -> str | Response:
    """Void a PHQ-15 the patient answered, with a reason; the answers stay, voided."""
    administration = get_administration_or_404(patient_id, episode_id, administration_id)
    episode = _episode(patient_id, episode_id)
    result = result_of(administration, _session_number(administration))
    form = VoidForm()
    refusal = _void_refusal(administration, episode)
    if refusal is None and form.validate_on_submit():
        try:
            void_administration(
                administration,
                form.reason.data or "",
                voided_by_id=int(current_user.id),
                now=utcnow(),
            )
        except VoidRefused as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, error.message]
        else:
            flash(
                _("The PHQ-15 of %(date)s was voided.", date=format_day(result.administered_on)),
                "success",
            )
            return commit_save(url_for(".index", patient_id=patient_id, episode_id=episode_id))
    return render_template(
        "phq15/void.html",
        episode=episode,
        patient=episode.patient,
        result=result,
        form=form,
        refusal=refusal,
    )


def _void_refusal(administration: Phq15Administration, episode: TreatmentEpisode) -> str | None:
    """Why this PHQ-15 cannot be voided now, or None."""
    if administration.is_voided:
        return _("These answers were already voided; nothing more to do.")
    if not can_be_voided(administration):
        return _(
            "Only answers the patient gave themselves are voided. This PHQ-15 was entered by "
            "the therapist from paper."
        )
    if episode.is_closed:
        return _(
            "A closed episode is part of the medical record and is no longer changed; record "
            "the correction in an amendment."
        )
    return None
