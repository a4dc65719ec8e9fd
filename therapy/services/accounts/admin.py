"""What a practice administrator does to accounts; every change ends the account's sessions."""

from __future__ import annotations

from sqlalchemy import func, select

from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import Patient, User
from therapy.models.enums import Profession, Role
from therapy.services.accounts import two_factor
from therapy.services.accounts.login_sessions import end_all_sessions
from therapy.services.accounts.users import AccountError, create_user


def _other_active_admins(user: User) -> int:
    query = select(func.count(User.id)).where(
        User.role == Role.PRACTICE_ADMIN, User.is_active.is_(True), User.id != user.id
    )
    return int(db.session.scalar(query) or 0)


def _not_yourself(user: User, acting: User, message: str) -> None:
    if user.id == acting.id:
        raise AccountError(message)


def create_account(
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role,
    profession: Profession | None,
    registration_number: str,
) -> User:
    """An account with a first password the administrator chose, so the person must replace it."""
    user = create_user(
        email=email,
        full_name=full_name,
        password=password,
        role=role,
        profession=profession,
        registration_number=registration_number,
    )
    user.must_change_password = True
    return user


def deactivate(user: User, acting: User) -> None:
    """Stop an account from logging in; its sessions end at once. Its records stay."""
    _not_yourself(user, acting, _("You cannot deactivate your own account."))
    if user.is_practice_admin and not _other_active_admins(user):
        raise AccountError(_("The practice needs at least one active administrator."))
    user.is_active = False
    end_all_sessions(user)


def reactivate(user: User) -> None:
    """Let a deactivated account log in again (with its existing password and authenticator)."""
    user.is_active = True
    end_all_sessions(user)


def change_role(user: User, acting: User, role: Role, profession: Profession | None) -> None:
    """Make an account a therapist or a practice administrator; its sessions end."""
    _not_yourself(user, acting, _("You cannot change your own role."))
    if role == Role.THERAPIST and profession is None:
        raise AccountError(_("A therapist needs a profession."))
    if role != Role.THERAPIST and user.is_therapist:
        has_patients = db.session.scalar(
            select(func.count(Patient.id)).where(Patient.therapist_id == user.id)
        )
        if has_patients:
            raise AccountError(
                _("This therapist still has patients, so the account stays a therapist account.")
            )
    if role != Role.PRACTICE_ADMIN and user.is_practice_admin and not _other_active_admins(user):
        raise AccountError(_("The practice needs at least one active administrator."))
    user.role = role
    user.profession = profession if role == Role.THERAPIST else None
    # Only a therapist can be the practice lead (a CHECK constraint says so too).
    user.is_practice_lead = user.is_practice_lead and role == Role.THERAPIST
    end_all_sessions(user)


def set_practice_lead(user: User, lead: bool) -> None:
    """Mark a therapist as practice lead (the outcomes page) or take the mark away."""
    if lead and not user.is_therapist:
        raise AccountError(_("Only a therapist can be the practice lead."))
    user.is_practice_lead = lead


def reset_two_factor(user: User) -> None:
    """Forget a lost authenticator: the person sets up a new one at their next login.

    Whoever enrols next must also choose a new password, so an administrator who knows an
    old password cannot quietly enrol their own phone and read the caseload.
    """
    two_factor.reset_two_factor(user)
    user.must_change_password = True
    end_all_sessions(user)
