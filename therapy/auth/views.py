"""Login (password step), logout and the keep-alive ping of long forms."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from therapy.access.gate import begin_login, current_login, forget_login, timeouts
from therapy.access.redirects import is_local_path
from therapy.audit.checkpoints import anchor_audit_head
from therapy.audit.events import note_event
from therapy.auth.blueprint import bp
from therapy.auth.forms import LoginForm, LogoutForm
from therapy.extensions import db
from therapy.forms import drafts
from therapy.forms import keys as form_keys
from therapy.i18n.translation import gettext as _
from therapy.models.enums import AuditAction, AuditOutcome
from therapy.services.accounts import login_sessions, two_factor
from therapy.services.accounts.login import StepResult, password_step

NEXT_KEY = "login_next"


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Show the login form; a right password leads to the second step."""
    if current_user.is_authenticated:
        return redirect(url_for("caseload.index"))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = password_step(form.email.data or "", form.password.data or "")
        if outcome.user is None:
            note_event(AuditAction.LOGIN, patient_id=None, outcome=AuditOutcome.FAILED)
            db.session.commit()
            # One message for an unknown address and a wrong password alike.
            if outcome.result == StepResult.THROTTLED:
                message = _("Too many attempts. Wait a minute, then try again.")
            else:
                message = _("The e-mail address or password is not correct.")
            form.password.errors.append(message)
        else:
            target = request.args.get("next")
            previous = current_login().record
            if previous is not None:
                login_sessions.end_session(previous)
            # Housekeeping, once per login: ended sessions, old form keys, stale drafts.
            login_sessions.purge_expired(timeouts())
            form_keys.purge_old_keys()
            drafts.purge_old_drafts()
            anchor_audit_head()
            if not two_factor.is_enrolled(outcome.user):
                two_factor.begin_enrolment(outcome.user)  # shown on the enrolment page
            token = login_sessions.start_session(
                outcome.user,
                verified=False,
                client_address=request.remote_addr or "",
                user_agent=request.headers.get("User-Agent", ""),
            )
            db.session.commit()
            begin_login(token)
            if is_local_path(target):
                session[NEXT_KEY] = target
            return redirect(url_for("auth.two_factor"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """End the session on the server; a POST with a CSRF token, so no link can log you out."""
    LogoutForm()  # CSRF is checked globally; the form documents the contract
    state = current_login()
    if state.record is not None and state.user is not None:
        note_event(AuditAction.LOGOUT, patient_id=None, user_id=state.user.id)
        login_sessions.end_session(state.record)
        db.session.commit()
    forget_login()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/session/keep-alive", methods=["POST"])
def keep_alive() -> Response:
    """Activity in a long form: the request itself resets the idle timer (see security).

    With the status-only header (therapy.access.gate.STATUS_ONLY_HEADER) it only reports the
    time left and whether the login is locked: session.js asks that when its own clock runs
    out, and now and then to follow the login's other tabs.
    """
    state = current_login()
    record = state.record
    if record is None:  # the login gate lets only logged-in requests through
        return jsonify(seconds_left=0, locked=False, lock_seconds_left=0)
    limits = timeouts()
    return jsonify(
        seconds_left=login_sessions.seconds_left(record, limits),
        absolute_seconds_left=login_sessions.absolute_seconds_left(record, limits),
        # The screen lock: every tab of this login asks, so a lock in one locks them all.
        locked=state.locked,
        lock_seconds_left=login_sessions.seconds_until_lock(record, limits),
    )
