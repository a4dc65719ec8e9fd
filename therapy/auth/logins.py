"""My logins: the account's active logins (device, address, last seen), and ending the others.

ASVS 3.3.4 (finding 11 of the outside test): a person sees where their account is logged in
and can log out every other browser, for a phone left logged in or a cookie someone copied.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from therapy.access.gate import current_login, timeouts
from therapy.audit.events import note_event
from therapy.auth.blueprint import bp
from therapy.auth.forms import EndOtherLoginsForm
from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import User
from therapy.models.enums import AuditAction, AuditOutcome
from therapy.services.accounts import devices, login_sessions
from therapy.services.accounts.login import StepResult, confirm_password_step


def _page(form: EndOtherLoginsForm) -> str:
    """The list of this account's logins, this one marked, with the form to end the others."""
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    this = current_login().record
    rows = [
        {
            "device": devices.describe(record.user_agent),
            "address": record.client_address,
            "started": record.created_at,
            "last_seen": record.last_seen_at,
            "this": this is not None and record.id == this.id,
        }
        for record in login_sessions.active_sessions(user, timeouts())
    ]
    return render_template("auth/logins.html", rows=rows, form=form)


@bp.route("/account/logins", methods=["GET"])
def logins() -> str:
    """The list of this account's logins, this one marked."""
    return _page(EndOtherLoginsForm())


@bp.route("/account/logins/end-others", methods=["POST"])
def end_other_logins() -> Response | str:
    """End every login of this account but the one making the request, once the password
    has been typed again (re-authentication, throttled like the login: finding 11)."""
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    form = EndOtherLoginsForm()
    this = current_login().record
    if not form.validate_on_submit() or this is None:
        return _page(form)
    result = confirm_password_step(user, form.password.data or "")
    if result != StepResult.PASSED:
        note_event(
            AuditAction.ACCOUNT,
            patient_id=None,
            object_type="user_account",
            object_id=user.id,
            outcome=AuditOutcome.FAILED,
            detail="end other logins: password not confirmed",
        )
        db.session.commit()  # the failure counts toward the throttle
        form.password.errors.append(
            _("Too many attempts. Wait a minute, then try again.")
            if result == StepResult.THROTTLED
            else _("This password is not correct.")
        )
        return _page(form)
    ended = login_sessions.end_other_sessions(user, this)
    if ended:  # nothing ended, nothing to record
        note_event(
            AuditAction.ACCOUNT,
            patient_id=None,
            object_type="user_account",
            object_id=user.id,
            detail=f"other logins ended: {ended}",
        )
    db.session.commit()
    flash(_("Logged out everywhere else (logins ended: %(count)s).", count=ended), "success")
    return redirect(url_for("auth.logins"))
