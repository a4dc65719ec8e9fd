"""The therapist's side: ask the patient (device or link), show the link once, cancel it."""

from __future__ import annotations

import segno
from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from therapy.access.scoping import get_episode_or_404, get_self_report_request_or_404
from therapy.extensions import db
from therapy.i18n.locale import practice_language
from therapy.i18n.translation import gettext as _
from therapy.models import TherapySession, TreatmentEpisode
from therapy.models.enums import Phq15Timepoint, SelfReportChannel
from therapy.models.types import utcnow
from therapy.self_report.blueprint import bp
from therapy.self_report.forms import RequestForm
from therapy.self_report.handover_views import EPISODE_PREFIX, hand_over
from therapy.services.self_report.requests import Asked, RequestInputError, cancel, create_request
from therapy.svg.inline import inline_svg


@bp.route(EPISODE_PREFIX + "/new", methods=["GET", "POST"])
def ask(patient_id: int, episode_id: int) -> str | Response:
    """Choose what the patient answers and how; a link is shown once, with its QR code."""
    episode = get_episode_or_404(
        patient_id,
        episode_id,
        joinedload(TreatmentEpisode.patient),
        selectinload(TreatmentEpisode.sessions).joinedload(TherapySession.alliance),
        selectinload(TreatmentEpisode.goals),
    )
    form = RequestForm(sessions=list(episode.sessions))
    if not form.is_submitted():
        form.language.data = practice_language()
    if form.validate_on_submit():
        timepoint = form.phq15_timepoint.data
        asked = Asked(
            phq15_timepoint=Phq15Timepoint(timepoint) if timepoint else None,
            phq15_session_id=form.number(form.phq15_session_id.data),
            psfs=bool(form.psfs.data),
            checkin_session_id=form.number(form.checkin_session_id.data),
        )
        channel = SelfReportChannel(form.channel.data)
        try:
            request, token = create_request(
                episode,
                asked,
                channel=channel,
                language=form.language.data or "nl",
                created_by_id=current_user.id,
                now=utcnow(),
                valid_days=form.valid_days.data or 7,
            )
        except RequestInputError as error:
            db.session.rollback()
            target = getattr(form, error.field)
            target.errors = [*target.errors, error.message]
        else:
            if token is None:
                return hand_over(request)
            db.session.commit()
            link = url_for("self_report.link_open", token=token, _external=True)
            qr = segno.make(link, error="m").svg_inline(scale=4, dark="#1d2633", light="#ffffff")
            # Shown in the answer to the post and never again: only the token's hash is kept.
            return render_template(
                "self_report/link.html",
                episode=episode,
                patient=episode.patient,
                request=request,
                link=link,
                qr=inline_svg(str(qr)),
            )
    return render_template(
        "self_report/ask.html", episode=episode, patient=episode.patient, form=form
    )


@bp.route(EPISODE_PREFIX + "/<int:request_id>/cancel", methods=["POST"])
def cancel_request(patient_id: int, episode_id: int, request_id: int) -> Response:
    """Withdraw a request that was not answered: its link stops working at once."""
    request = get_self_report_request_or_404(patient_id, episode_id, request_id)
    cancel(request, utcnow())
    db.session.commit()
    flash(_("The request was withdrawn; its link no longer works."), "success")
    return redirect(url_for("episodes.detail", patient_id=patient_id, episode_id=episode_id))
