"""The questionnaire pages a patient steps through, shared by the link and the device."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from werkzeug.wrappers import Response

from therapy.extensions import db
from therapy.models import SelfReportRequest, TherapySession
from therapy.self_report.current import Answering
from therapy.self_report.forms import (
    LanguageForm,
    PatientCheckinForm,
    PatientPhq15Form,
    SubmitAnswersForm,
    psfs_form,
)
from therapy.services.alliance.checkin import QUESTIONS
from therapy.services.phq15 import scoring as phq15
from therapy.services.phq15 import words
from therapy.services.self_report.answers import (
    CHECKIN,
    CHECKIN_QUESTIONS,
    PHQ15,
    PSFS,
    goals_to_rate,
    read_draft,
    save_draft,
    steps_of,
)

Page = str | Response | tuple[str, int]
ENDPOINTS = {PHQ15: "self_report.phq15", PSFS: "self_report.psfs", CHECKIN: "self_report.checkin"}


def first_url(request: SelfReportRequest) -> str:
    """Where a patient starts: the first questionnaire."""
    return url_for(ENDPOINTS[steps_of(request)[0]])


def _neighbour(request: SelfReportRequest, step: str, back: bool) -> str:
    steps = steps_of(request)
    index = steps.index(step) + (-1 if back else 1)
    if back and index < 0:
        return url_for(ENDPOINTS[step])
    if index >= len(steps):
        return url_for("self_report.review")
    return url_for(ENDPOINTS[steps[index]])


def _render(current: Answering, step: str, template: str, form: object, **context: object) -> str:
    steps = steps_of(current.request)
    return render_template(
        template,
        form=form,
        first_name=current.first_name,
        step_number=steps.index(step) + 1,
        step_count=len(steps),
        back_possible=steps.index(step) > 0,
        language_form=LanguageForm(),
        **context,
    )


def _require(current: Answering, step: str) -> None:
    if step not in steps_of(current.request):
        abort(404)


def phq15_page(current: Answering) -> Page:
    """The fifteen items; each post keeps the answers in the draft and moves on or back."""
    _require(current, PHQ15)
    form = PatientPhq15Form()
    draft = read_draft(current.request)
    if form.validate_on_submit():
        draft.phq15 = form.answers()
        save_draft(current.request, draft)
        db.session.commit()
        return redirect(_neighbour(current.request, PHQ15, bool(form.back.data)))
    if not form.is_submitted():
        form.fill(draft.phq15)
    return _render(
        current,
        PHQ15,
        "self_report/phq15.html",
        form,
        stem=words.STEM,
        copyright=words.COPYRIGHT,
        women_only=phq15.WOMEN_ONLY_ITEM,
    )


def psfs_page(current: Answering) -> Page:
    """One 0-10 rating per active goal."""
    _require(current, PSFS)
    goals = goals_to_rate(current.request)
    form = psfs_form(goals)
    draft = read_draft(current.request)
    if form.validate_on_submit():
        for goal in goals:
            value = form[f"goal_{goal.id}"].data
            draft.psfs[goal.id] = int(value) if value else None
        save_draft(current.request, draft)
        db.session.commit()
        return redirect(_neighbour(current.request, PSFS, bool(form["back"].data)))
    if not form.is_submitted():
        for goal in goals:
            score = draft.psfs.get(goal.id)
            form[f"goal_{goal.id}"].data = "" if score is None else str(score)
    fields = [(goal, form[f"goal_{goal.id}"]) for goal in goals]
    return _render(current, PSFS, "self_report/psfs.html", form, fields=fields)


def checkin_page(current: Answering) -> Page:
    """Three ratings and anything left unsaid."""
    _require(current, CHECKIN)
    form = PatientCheckinForm()
    draft = read_draft(current.request)
    if form.validate_on_submit():
        for question in CHECKIN_QUESTIONS:
            value = form[question].data
            draft.checkin[question] = int(value) if value else None
        draft.left_unsaid = form.left_unsaid.data or ""
        save_draft(current.request, draft)
        db.session.commit()
        return redirect(_neighbour(current.request, CHECKIN, bool(form.back.data)))
    if not form.is_submitted():
        for question in CHECKIN_QUESTIONS:
            rating = draft.checkin.get(question)
            form[question].data = "" if rating is None else str(rating)
        form.left_unsaid.data = draft.left_unsaid
    session = db.session.get(TherapySession, current.request.checkin_session_id)
    return _render(
        current,
        CHECKIN,
        "self_report/checkin.html",
        form,
        session_number=session.number if session else None,
    )


def review_page(current: Answering, form: SubmitAnswersForm, problem: str = "") -> str:
    """The answers so far, each questionnaire with a link to change it, and the send button."""
    request = current.request
    draft = read_draft(request)
    goals = goals_to_rate(request) if request.psfs else []
    return render_template(
        "self_report/review.html",
        form=form,
        first_name=current.first_name,
        steps=steps_of(request),
        endpoints=ENDPOINTS,
        draft=draft,
        items=phq15.ITEMS,
        answer_labels=words.ANSWER_LABELS,
        not_applicable_label=words.NOT_APPLICABLE_LABEL,
        goals=goals,
        questions=QUESTIONS,
        problem=problem,
        expires_at=request.expires_at if not current.handed_over else None,
        language_form=LanguageForm(),
    )
