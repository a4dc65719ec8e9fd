"""Practice administration views: accounts. For practice administrators only."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from therapy.admin.blueprint import bp
from therapy.admin.forms import ConfirmForm, NewAccountForm, PracticeLeadForm, RoleForm
from therapy.audit.events import note_event
from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import User, UserSession
from therapy.models.enums import AuditAction, Profession, Role
from therapy.services.accounts import admin as account_admin
from therapy.services.accounts.two_factor import unused_recovery_codes
from therapy.services.accounts.users import AccountError

# The one page of this area a practice lead (a therapist with the flag) may open as well.
PRACTICE_LEAD_ENDPOINTS = frozenset({"admin.outcomes"})


@bp.before_request
def require_practice_admin() -> None:
    """A second layer behind the login gate: this area is for administrators only."""
    if not current_user.is_authenticated:
        abort(403)
    lead = current_user.is_therapist and current_user.is_practice_lead
    if lead and request.endpoint in PRACTICE_LEAD_ENDPOINTS:
        return
    if not current_user.is_practice_admin:
        abort(403)


def _acting() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _account_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _audit_account(user: User, detail: str) -> None:
    note_event(
        AuditAction.ACCOUNT,
        patient_id=None,
        object_type="user_account",
        object_id=user.id,
        detail=detail,
    )


@bp.route("/accounts")
def accounts() -> str:
    """Every account of the practice, with role and status."""
    users = db.session.scalars(select(User).order_by(User.full_name, User.id)).all()
    return render_template("admin/accounts.html", users=users)


@bp.route("/accounts/new", methods=["GET", "POST"])
def new_account() -> str | Response:
    """Create an account; the person sets up two-factor login at their first login."""
    form = NewAccountForm()
    if form.validate_on_submit():
        try:
            user = account_admin.create_account(
                email=form.email.data or "",
                full_name=form.full_name.data or "",
                password=form.password.data or "",
                role=Role(form.role.data),
                profession=Profession(form.profession.data) if form.profession.data else None,
                registration_number=form.registration_number.data or "",
            )
        except AccountError as error:
            form.password.errors.append(str(error))
        else:
            _audit_account(user, f"created as {user.role.value}")
            db.session.commit()
            flash(_("The account of %(name)s has been created.", name=user.full_name), "success")
            return redirect(url_for("admin.account", user_id=user.id))
    return render_template("admin/account_new.html", form=form)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
def account(user_id: int) -> str | Response:
    """One account: its role, status, authenticator and open sessions."""
    user = _account_or_404(user_id)
    form = RoleForm(
        data={
            "role": user.role.value,
            "profession": user.profession.value if user.profession else "",
        }
    )
    if form.validate_on_submit():
        try:
            account_admin.change_role(
                user,
                _acting(),
                Role(form.role.data),
                Profession(form.profession.data) if form.profession.data else None,
            )
        except AccountError as error:
            form.role.errors.append(str(error))
        else:
            _audit_account(user, f"role changed to {user.role.value}")
            db.session.commit()
            flash(_("The role has been changed. The account was logged out everywhere."), "success")
            return redirect(url_for("admin.account", user_id=user.id))
    sessions = db.session.scalar(
        select(func.count(UserSession.id)).where(UserSession.user_id == user.id)
    )
    return render_template(
        "admin/account.html",
        user=user,
        form=form,
        confirm_form=ConfirmForm(),
        lead_form=PracticeLeadForm(data={"is_practice_lead": user.is_practice_lead}),
        open_sessions=int(sessions or 0),
        recovery_codes_left=unused_recovery_codes(user),
        is_self=user.id == _acting().id,
    )


def _account_action(
    user_id: int, change: Callable[[User], None], detail: str, done: str
) -> Response:
    """Run one account change from a confirm button, with the usual audit and message."""
    user = _account_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            change(user)
        except AccountError as error:
            flash(str(error), "error")
        else:
            _audit_account(user, detail)
            db.session.commit()
            flash(done, "success")
    return redirect(url_for("admin.account", user_id=user.id))


@bp.route("/accounts/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int) -> Response:
    """Stop an account from logging in; it is logged out everywhere at once."""
    return _account_action(
        user_id,
        lambda user: account_admin.deactivate(user, _acting()),
        "deactivated",
        _("The account has been deactivated and logged out everywhere."),
    )


@bp.route("/accounts/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int) -> Response:
    """Let a deactivated account log in again."""
    return _account_action(
        user_id,
        account_admin.reactivate,
        "reactivated",
        _("The account can log in again."),
    )


@bp.route("/accounts/<int:user_id>/reset-two-factor", methods=["POST"])
def reset_two_factor(user_id: int) -> Response:
    """Forget a lost phone: the person sets up a new authenticator at the next login."""
    return _account_action(
        user_id,
        account_admin.reset_two_factor,
        "two-factor login reset",
        _("Two-factor login has been reset. The person sets it up again at the next login."),
    )


@bp.route("/accounts/<int:user_id>/practice-lead", methods=["POST"])
def practice_lead(user_id: int) -> Response:
    """Give a therapist the practice lead's view of the outcomes page, or take it away."""
    user = _account_or_404(user_id)
    form = PracticeLeadForm()
    if form.validate_on_submit():
        try:
            account_admin.set_practice_lead(user, bool(form.is_practice_lead.data))
        except AccountError as error:
            flash(str(error), "error")
        else:
            _audit_account(user, f"practice lead set to {user.is_practice_lead}")
            db.session.commit()
            flash(_("The practice lead setting has been saved."), "success")
    return redirect(url_for("admin.account", user_id=user.id))
