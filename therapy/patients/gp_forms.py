"""The form that corrects a GP of the practice's list (the patient form only adds one)."""

from __future__ import annotations

from typing import Any

from wtforms import SubmitField
from wtforms.validators import ValidationError

from therapy.forms import identifiers
from therapy.forms.base import GuardedForm
from therapy.forms.fields import VersionField, text_field
from therapy.i18n.translation import lazy_gettext as _l
from therapy.services.patients.gps import GpDetails
from therapy.services.practice.identifiers import AGB_INPUT_LENGTH, POSTCODE_INPUT_LENGTH


class GpForm(GuardedForm):
    """Name, practice, address, phone, e-mail and AGB code of one GP."""

    name = text_field(
        _l("Title and initials"),
        _l("For example “Dr. J.”; the surname goes in its own fields."),
        max_length=200,
    )
    voorvoegsel = text_field(
        _l("Prefix (voorvoegsel)"), _l("For example “van”; optional."), max_length=20
    )
    family_name = text_field(
        _l("Family name"), _l("The main surname, for example “Dijk”."), max_length=100
    )
    practice_name = text_field(
        _l("Practice"), _l("The GP practice or health centre."), max_length=200
    )
    address = text_field(
        _l("Street and number"), _l("The GP practice's street address."), max_length=200
    )
    postcode = text_field(
        _l("Postcode"),
        _l("Four digits and two letters: 3531 AA."),
        max_length=POSTCODE_INPUT_LENGTH,
    )
    city = text_field(_l("Town"), _l("Where the practice is."), max_length=100)
    phone = text_field(_l("Phone"), _l("The practice's number."), max_length=40)
    email = text_field(_l("E-mail"), _l("The practice's address; optional."), max_length=254)
    agb_code = text_field(
        _l("AGB code"), _l("Eight digits; optional."), max_length=AGB_INPUT_LENGTH
    )
    version = VersionField()
    submit = SubmitField(_l("Save the GP"))

    def validate_name(self, field: Any) -> None:
        """A GP needs a name: the title and initials, the family name, or both."""
        if not (field.data or self.family_name.data):
            raise ValidationError(_l("Give the GP's name."))

    def validate_postcode(self, field: Any) -> None:
        """A Dutch postcode, kept as 1234 AB."""
        identifiers.postcode(self, field)

    def validate_agb_code(self, field: Any) -> None:
        """The AGB code is exactly eight digits."""
        identifiers.agb_code(self, field)

    def validate_email(self, field: Any) -> None:
        """A plausible address, or nothing."""
        identifiers.email_address(self, field)

    def details(self) -> GpDetails:
        """The validated form as plain data."""
        return GpDetails(
            name=self.name.data or "",
            voorvoegsel=self.voorvoegsel.data or "",
            family_name=self.family_name.data or "",
            practice_name=self.practice_name.data or "",
            address=self.address.data or "",
            postcode=self.postcode.data or "",
            city=self.city.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            agb_code=self.agb_code.data or "",
        )
