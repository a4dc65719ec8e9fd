"""The second step of a login: a code from the authenticator app, or enrolling one."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from therapy.access.gate import begin_login, current_login
from therapy.access.redirects import is_local_path
from therapy.audit.events import note_event
from therapy.auth.blueprint import bp
from therapy.auth.forms import CodeForm, EnrolForm, LogoutForm
from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import User
from therapy.models.enums import AuditAction, AuditOutcome
from therapy.models.types import utcnow
from therapy.services.accounts import login_sessions
from therapy.services.accounts import two_factor as tf
from therapy.services.accounts.login import StepResult, code_step, enrol_step
from therapy.svg.inline import inline_svg

NEXT_KEY = "login_next"


def _complete_login(user: User) -> str:
    """Replace the password-only session by a full one with a new id (no fixation)."""
    state = current_login()
    if state.record is not None:
        login_sessions.end_session(state.record)
    token = login_sessions.start_session(
        user,
        verified=True,
        client_address=request.remote_addr or "",
        user_agent=request.headers.get("User-Agent", ""),
    )
    user.last_login_at = utcnow()
    note_event(AuditAction.LOGIN, patient_id=None, user_id=user.id)
    target = session.get(NEXT_KEY)
    db.session.commit()
    begin_login(token)
    return target if isinstance(target, str) and is_local_path(target) else ""


def _pending_user() -> User | None:
    state = current_login()
    return state.user if state.pending else None


@bp.route("/login/code", methods=["GET", "POST"])
def two_factor() -> str | Response:
    """Ask for the code from the authenticator app (or a recovery code)."""
    user = _pending_user()
    if user is None:
        return redirect(url_for("caseload.index"))
    if not tf.is_enrolled(user):
        return redirect(url_for("auth.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        result = code_step(user, form.code.data or "")
        if result == StepResult.PASSED:
            return redirect(_complete_login(user) or url_for("caseload.today"))
        note_event(AuditAction.LOGIN, patient_id=None, user_id=user.id, outcome=AuditOutcome.FAILED)
        db.session.commit()
        if result == StepResult.THROTTLED:
            form.code.errors.append(_("Too many attempts. Wait a minute, then try again."))
        else:
            form.code.errors.append(
                _("This code is not right, or it was used already. Wait for the next code.")
            )
    return render_template("auth/two_factor.html", form=form, logout_form=LogoutForm())


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol() -> str | Response:
    """First login: connect an authenticator app, confirm it, and receive recovery codes."""
    user = _pending_user()
    if user is None:
        return redirect(url_for("caseload.index"))
    if tf.is_enrolled(user):
        return redirect(url_for("auth.two_factor"))
    secret = tf.enrolment_secret(user)  # made by the password step
    if secret is None:
        return redirect(url_for("auth.login"))
    form = EnrolForm()
    if form.validate_on_submit():
        codes = enrol_step(user, form.code.data or "")
        if codes is not None:
            note_event(
                AuditAction.ACCOUNT,
                patient_id=None,
                user_id=user.id,
                object_type="user_account",
                object_id=user.id,
                detail="authenticator enrolled",
            )
            target = _complete_login(user) or url_for("caseload.today")
            # Shown once, in the answer to this POST: the codes are stored only as hashes.
            return render_template("auth/recovery_codes.html", codes=codes, target=target)
        db.session.commit()
        form.code.errors.append(
            _("This code is not right. Check the time on your phone and try the next code.")
        )
    issuer = str(current_app.config.get("TOTP_ISSUER", "Psychosomatic therapy"))
    uri = tf.provisioning_uri(user, secret, issuer)
    return render_template(
        "auth/enrol.html",
        form=form,
        qr=inline_svg(tf.qr_svg(uri)),
        secret=tf.grouped(secret),
        logout_form=LogoutForm(),
    )
