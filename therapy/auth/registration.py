"""The therapist's own registration: the register and number, and the personal AGB code."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import RadioField, SubmitField

from therapy.audit.events import note_event
from therapy.auth.blueprint import bp
from therapy.extensions import db
from therapy.forms import identifiers
from therapy.forms.base import GuardedForm
from therapy.forms.fields import choices, text_field
from therapy.i18n.labels import REGISTER_LABELS
from therapy.i18n.translation import gettext as _
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import User
from therapy.models.enums import AuditAction
from therapy.services.practice.identifiers import AGB_INPUT_LENGTH

NOT_KNOWN = ""


class RegistrationForm(GuardedForm):
    """Where the therapist is registered, under which number, and their own AGB code."""

    registration_register = RadioField(
        _l("Register"),
        choices=choices([(NOT_KNOWN, _l("Not given")), *REGISTER_LABELS.items()]),
        validate_choice=True,
        description=_l(
            "BIG register for physical therapists; Kwaliteitsregister Paramedici for exercise "
            "therapists."
        ),
    )
    registration_number = text_field(
        _l("Registration number"),
        _l("As in the register; printed under your signature."),
        max_length=40,
    )
    agb_code = text_field(
        _l("Your AGB code"),
        _l("Eight digits: your personal care-provider code (the practice has its own)."),
        max_length=AGB_INPUT_LENGTH,
    )
    submit = SubmitField(_l("Save"))

    def validate_agb_code(self, field: Any) -> None:
        """Eight digits."""
        identifiers.agb_code(self, field)


@bp.route("/account/registration", methods=["GET", "POST"])
def registration() -> str | Response:
    """One's own registration and AGB code, as the documents print them under the signature."""
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    form = RegistrationForm(
        data={
            "registration_register": user.registration_register or NOT_KNOWN,
            "registration_number": user.registration_number,
            "agb_code": user.agb_code,
        }
    )
    if form.validate_on_submit():
        chosen = (
            form.registration_register.data or NOT_KNOWN,
            form.registration_number.data or "",
            form.agb_code.data or "",
        )
        if chosen != (user.registration_register, user.registration_number, user.agb_code):
            user.registration_register, user.registration_number, user.agb_code = chosen
            note_event(
                AuditAction.ACCOUNT,
                patient_id=None,
                object_type="user_account",
                object_id=user.id,
                detail="registration and AGB code changed",
            )
            db.session.commit()
        flash(_("Your registration has been saved."), "success")
        return redirect(url_for("auth.registration"))
    return render_template("auth/registration.html", form=form)
