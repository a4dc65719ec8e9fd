"""The practice's letterhead form: the sender on every document."""

from __future__ import annotations

from typing import Any

from wtforms import SubmitField

from therapy.forms import identifiers
from therapy.forms.base import GuardedForm
from therapy.forms.fields import text_field, textarea_field
from therapy.i18n.translation import lazy_gettext as _l
from therapy.services.practice.details import PracticeDetails
from therapy.services.practice.identifiers import AGB_INPUT_LENGTH, POSTCODE_INPUT_LENGTH


class PracticeDetailsForm(GuardedForm):
    """Name, address, postcode, town, phone, e-mail and AGB code of the practice."""

    name = text_field(
        _l("Name of the practice"), _l("As on the letterhead."), required=True, max_length=200
    )
    address = textarea_field(
        _l("Street and number"), _l("For example “Oudegracht 12”."), max_length=500, rows=2
    )
    postcode = text_field(
        _l("Postcode"),
        _l("Four digits and two letters: 3511 AB."),
        max_length=POSTCODE_INPUT_LENGTH,
    )
    town = text_field(_l("Town"), _l("For example “Utrecht”."), max_length=100)
    phone = text_field(_l("Phone"), _l("The number a GP calls."), max_length=40)
    email = text_field(_l("E-mail"), _l("The practice's address for GPs."), max_length=254)
    agb_code = text_field(
        _l("AGB code of the practice"),
        _l("Eight digits (the Vektis care-provider code); printed on every document."),
        max_length=AGB_INPUT_LENGTH,
    )
    submit = SubmitField(_l("Save the practice details"))

    def validate_postcode(self, field: Any) -> None:
        """A Dutch postcode, written 1234 AB."""
        identifiers.postcode(self, field)

    def validate_agb_code(self, field: Any) -> None:
        """Eight digits."""
        identifiers.agb_code(self, field)

    def details(self) -> PracticeDetails:
        """The validated form as plain data."""
        return PracticeDetails(
            name=self.name.data or "",
            address=self.address.data or "",
            postcode=self.postcode.data or "",
            town=self.town.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            agb_code=self.agb_code.data or "",
        )
