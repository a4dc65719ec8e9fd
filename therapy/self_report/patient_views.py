"""The patient's pages: open a personal link, answer step by step, check, send, thank you."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

import therapy.self_report.steps as step_pages
from therapy.access.redirects import is_local_path
from therapy.extensions import db
from therapy.i18n.locale import practice_today, use_language
from therapy.i18n.translation import gettext as _
from therapy.models.types import utcnow
from therapy.self_report.blueprint import bp
from therapy.self_report.current import (
    LANGUAGE_KEY,
    LINK_KEY,
    Answering,
    answering,
    speak_patients_language,
)
from therapy.self_report.forms import BirthDateForm, LanguageForm, SubmitAnswersForm
from therapy.services.self_report import answers, checks
from therapy.services.self_report.answers import SubmitError
from therapy.services.self_report.requests import LinkState, find_by_token, state_of

Page = str | Response | tuple[str, int]


def _message(state: LinkState) -> tuple[str, int]:
    """The plain page for a link that opens nothing: it names no patient and no therapist."""
    status = 404 if state is LinkState.UNKNOWN else 410
    return render_template("self_report/message.html", state=state.value), status


def _not_answering() -> tuple[str, int]:
    return render_template("self_report/message.html", state="no_request"), 403


def _open(current: Answering | None) -> Answering | Page:
    if current is None:
        return _not_answering()
    if current.state is not LinkState.OPEN:
        return _message(current.state)
    return current


@bp.route("/q/<token>", methods=["GET", "POST"])
def link_open(token: str) -> Page:
    """A personal link: the date of birth first, then the questionnaires."""
    form = BirthDateForm()
    now = utcnow()
    address = request.remote_addr or ""
    if form.validate_on_submit():
        if checks.address_throttled(address, now):
            form.birth_date.errors.append(_too_many())
            db.session.commit()
            return render_template("self_report/link_open.html", form=form), 429
        found = find_by_token(token)
        state = state_of(found, now)
        if found is None:
            checks.note_unknown_token(address, now)
            db.session.commit()
            return _message(state)
        if state is not LinkState.OPEN:
            return _message(state)
        speak_patients_language(found)
        typed = form.typed_date()
        if typed is None:  # the form's validator has read it already
            abort(400)
        outcome = checks.check_birth_date(found, typed, address, now)
        if outcome is checks.BirthDateCheck.RIGHT:
            session.clear()  # nothing from before: no other link, no login
            session[LINK_KEY] = found.id
            found.opened_at = found.opened_at or now
            db.session.commit()
            return redirect(step_pages.first_url(found))
        db.session.commit()
        if outcome is checks.BirthDateCheck.LOCKED:
            return render_template("self_report/message.html", state="locked"), 403
        form.birth_date.errors.append(
            _too_many() if outcome is checks.BirthDateCheck.THROTTLED else _wrong_date()
        )
        status = 429 if outcome is checks.BirthDateCheck.THROTTLED else 200
        return render_template("self_report/link_open.html", form=form), status
    return render_template("self_report/link_open.html", form=form)


def _too_many() -> str:
    return _("Too many attempts. Wait a minute, then try again.")


def _wrong_date() -> str:
    return _("This date of birth does not match. Check it and try again.")


@bp.route("/answer/phq15", methods=["GET", "POST"])
def phq15() -> Page:
    """The PHQ-15, every item optional."""
    current = _open(answering())
    if not isinstance(current, Answering):
        return current
    return step_pages.phq15_page(current)


@bp.route("/answer/psfs", methods=["GET", "POST"])
def psfs() -> Page:
    """The goals of the episode, each rated 0-10."""
    current = _open(answering())
    if not isinstance(current, Answering):
        return current
    return step_pages.psfs_page(current)


@bp.route("/answer/checkin", methods=["GET", "POST"])
def checkin() -> Page:
    """The alliance check-in of a session."""
    current = _open(answering())
    if not isinstance(current, Answering):
        return current
    return step_pages.checkin_page(current)


@bp.route("/answer/review")
def review() -> Page:
    """Every answer at a glance, with a way back to each questionnaire, and the final send."""
    current = _open(answering())
    if not isinstance(current, Answering):
        return current
    return step_pages.review_page(current, SubmitAnswersForm())


@bp.route("/answer/submit", methods=["POST"])
def submit() -> Page:
    """Send the answers: stored as the patient's, scored, and the request is used up."""
    current = _open(answering())
    if not isinstance(current, Answering):
        return current
    form = SubmitAnswersForm()
    if not form.validate_on_submit():
        return step_pages.review_page(current, form), 400
    try:
        answers.submit(current.request, today=practice_today(), now=utcnow())
    except SubmitError as error:
        db.session.rollback()
        return step_pages.review_page(current, form, problem=error.message), 400
    db.session.commit()
    if not current.handed_over:
        session.pop(LINK_KEY, None)
    return redirect(url_for(".thanks"))


@bp.route("/answer/thanks")
def thanks() -> str:
    """A neutral thank-you: nothing of the record, nothing to click but the way back."""
    current = answering()
    if current is None:
        chosen = session.get(LANGUAGE_KEY)
        use_language(chosen if isinstance(chosen, str) else None)
    return render_template(
        "self_report/thanks.html", handed_over=current is not None and current.handed_over
    )


@bp.route("/answer/language", methods=["POST"])
def language() -> Response:
    """The patient's own choice of language on this browser."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session[LANGUAGE_KEY] = form.language.data
    back = request.form.get("next", "")
    ours = is_local_path(back) and back.startswith(("/answer/", "/q/"))
    return redirect(back if ours else url_for(".review"))
