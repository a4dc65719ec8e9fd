"""Unlocking the screen lock: the password again, never the second factor (same login)."""

from __future__ import annotations

from dataclasses import replace

from flask import g, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from therapy.access.gate import current_login
from therapy.access.redirects import is_local_path
from therapy.audit.events import note_event
from therapy.auth.blueprint import bp
from therapy.auth.forms import UnlockForm
from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models.enums import AuditAction, AuditOutcome
from therapy.services.accounts import login_sessions
from therapy.services.accounts.login import StepResult, unlock_step


def _wants_json() -> bool:
    """session.js unlocks in place (the page and what was typed stay); a form post without
    JavaScript is sent on to the page it came from."""
    return request.accept_mimetypes.best == "application/json"


@bp.route("/session/unlock", methods=["POST"])
def unlock() -> Response | tuple[str, int] | tuple[Response, int]:
    """Give the password of a locked login; every tab of it is unlocked with it."""
    form = UnlockForm()
    state = current_login()
    typed_next = form.next.data or ""
    target = typed_next if is_local_path(typed_next) else url_for("caseload.index")
    if not state.locked or state.record is None or state.user is None:
        # Nothing to unlock (another tab did it, or it never locked): no password is checked.
        return jsonify(unlocked=True) if _wants_json() else redirect(target)
    if form.validate_on_submit():
        result = unlock_step(state.user, form.password.data or "")
        if result == StepResult.PASSED:
            login_sessions.unlock(state.record)
            note_event(
                AuditAction.LOGIN, patient_id=None, user_id=state.user.id, detail="screen unlocked"
            )
            db.session.commit()
            g.login_state = replace(state, locked=False)
            return jsonify(unlocked=True) if _wants_json() else redirect(target)
        note_event(
            AuditAction.LOGIN,
            patient_id=None,
            user_id=state.user.id,
            outcome=AuditOutcome.FAILED,
            detail="screen unlock",
        )
        db.session.commit()
        if result == StepResult.THROTTLED:
            error = _("Too many attempts. Wait a minute, then try again.")
        else:
            error = _("This password is not correct.")
    else:
        error = _("Type your password to unlock the screen.")
    if _wants_json():
        return jsonify(unlocked=False, error=error), 403
    page = render_template(
        "auth/locked.html", next=typed_next if is_local_path(typed_next) else "", error=error
    )
    return page, 423
