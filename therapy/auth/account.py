"""The logged-in person's own account: their settings (language) and their password."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from therapy.access.gate import begin_login
from therapy.audit.events import note_event
from therapy.auth.blueprint import bp
from therapy.auth.forms import FOLLOW_PRACTICE, ChangePasswordForm, LanguageForm
from therapy.extensions import db
from therapy.i18n.locale import practice_language, use_language
from therapy.i18n.translation import gettext as _
from therapy.models import User
from therapy.models.enums import AuditAction
from therapy.services.accounts import login_sessions
from therapy.services.accounts.users import AccountError, change_password


@bp.route("/account/password", methods=["GET", "POST"])
def password() -> str | Response:
    """Change one's own password; every other session of the account ends."""
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(user, form.current_password.data or "", form.new_password.data or "")
        except AccountError as error:
            db.session.commit()  # a wrong current password counts toward the throttle
            form.new_password.errors.append(str(error))
        else:
            note_event(
                AuditAction.ACCOUNT,
                patient_id=None,
                object_type="user_account",
                object_id=user.id,
                detail="password changed",
            )
            # Every session ended with the change; this browser carries on with a new one.
            token = login_sessions.start_session(
                user,
                verified=True,
                client_address=request.remote_addr or "",
                user_agent=request.headers.get("User-Agent", ""),
            )
            db.session.commit()
            begin_login(token)
            flash(
                _("Your password has been changed. Other sessions have been logged out."), "success"
            )
            return redirect(url_for("caseload.index"))
    return render_template("auth/password.html", form=form, required=user.must_change_password)


@bp.route("/account/settings", methods=["GET", "POST"])
def settings() -> str | Response:
    """One's own settings: the language of one's screens (stored with the account)."""
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    form = LanguageForm(
        practice_language=practice_language(),
        data={"language": user.language or FOLLOW_PRACTICE},
    )
    if form.validate_on_submit():
        chosen = form.language.data or None
        if chosen != user.language:
            user.language = chosen
            note_event(
                AuditAction.ACCOUNT,
                patient_id=None,
                object_type="user_account",
                object_id=user.id,
                detail=f"language {chosen or 'practice'}",
            )
        db.session.commit()
        use_language(chosen or practice_language())  # the message below in the new language
        flash(_("Your settings have been saved."), "success")
        return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form)
