"""Forms of the login, the second step, enrolment and changing one's password."""

from __future__ import annotations

from typing import Any

from wtforms import EmailField, HiddenField, PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from therapy.forms.base import GuardedForm
from therapy.forms.fields import choices
from therapy.i18n.locale import LANGUAGE_NAMES
from therapy.i18n.translation import lazy_gettext as _l
from therapy.services.accounts.passwords import MAX_LENGTH


class LoginForm(GuardedForm):
    """E-mail address and password."""

    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("The address your practice registered for you."),
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Log in"))


class CodeForm(GuardedForm):
    """The second factor: a code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l(
            "The 6-digit code your authenticator app shows now. Lost your phone? "
            "Type one of your recovery codes instead."
        ),
        render_kw={
            "autocomplete": "one-time-code",
            "autofocus": True,
            "autocapitalize": "off",
            "spellcheck": "false",
        },
    )
    submit = SubmitField(_l("Continue"))


class EnrolForm(GuardedForm):
    """Confirming a new authenticator with its first code."""

    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(), Length(max=10)],
        description=_l("After scanning, your app shows a 6-digit code. Type it here."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )
    submit = SubmitField(_l("Confirm"))


class ChangePasswordForm(GuardedForm):
    """The current password and a new one, typed twice."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l(
            "At least 12 characters; a sentence you can remember works well. "
            "Common passwords are refused."
        ),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two new passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


class UnlockForm(GuardedForm):
    """The password of a locked login, and the page to go back to."""

    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l("Your own password; the code from your phone is not needed."),
        render_kw={"autocomplete": "current-password", "autofocus": True},
    )
    next = HiddenField()
    submit = SubmitField(_l("Unlock"))


class LogoutForm(GuardedForm):
    """An empty form: logging out is a POST with a CSRF token, never a link."""


# The account follows the practice's language unless it chooses one of its own.
FOLLOW_PRACTICE = ""


class LanguageForm(GuardedForm):
    """The language of one's own screens."""

    language = RadioField(
        _l("Language of your screens"),
        description=_l(
            "Documents keep the language they were drafted in; patients' questionnaires "
            "use the patient's language."
        ),
        validate_choice=True,
    )
    submit = SubmitField(_l("Save settings"))

    def __init__(self, *args: Any, practice_language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = choices(
            [
                (
                    FOLLOW_PRACTICE,
                    _l(
                        "As the practice (%(language)s)",
                        language=LANGUAGE_NAMES[practice_language],
                    ),
                ),
                *LANGUAGE_NAMES.items(),
            ]
        )


class EndOtherLoginsForm(GuardedForm):
    """Log out every other browser and device of one's own account, after the password again
    (a cookie copied into another browser must not be able to end the owner's logins)."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l(
            "Type it again to confirm it is you; the code from your phone is not needed."
        ),
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Log out everywhere else"))
