"""Login and logout views."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from therapy.auth import bp
from therapy.auth.forms import LoginForm, LogoutForm
from therapy.extensions import db
from therapy.safe_redirect import is_local_path
from therapy.services.accounts import authenticate, record_login


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Show the login form and log the account in."""
    if current_user.is_authenticated:
        return redirect(url_for("caseload.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            # One message for an unknown address and a wrong password alike.
            form.password.errors.append(_("The e-mail address or password is not correct."))
        else:
            target = request.args.get("next")
            session.clear()  # nothing from before the login survives into the new session
            login_user(user)
            record_login(user)
            db.session.commit()
            return redirect(target if is_local_path(target) else url_for("caseload.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """End the session; a POST with a CSRF token, so no link or image can log you out."""
    LogoutForm()  # CSRF is checked globally; the form documents the contract
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))
