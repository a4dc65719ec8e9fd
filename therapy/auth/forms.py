"""The login form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    """E-mail address and password."""

    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("The address your practice registered for you."),
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Log in"))


class LogoutForm(FlaskForm):
    """An empty form: logging out is a POST with a CSRF token, never a link."""
