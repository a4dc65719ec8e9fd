"""Form validators for contact details: the Dutch identifiers of DOMAIN.md §8 (AGB code,
postcode) and an e-mail address."""

from __future__ import annotations

import re
from typing import Any

from wtforms.validators import ValidationError

from therapy.i18n.translation import lazy_gettext as _l
from therapy.services.practice.identifiers import (
    InvalidAgb,
    InvalidPostcode,
    normalise_agb,
    normalise_postcode,
)


def agb_code(_form: Any, field: Any) -> None:
    """An AGB code is eight digits; kept as the digits alone."""
    if not field.data:
        return
    try:
        field.data = normalise_agb(field.data)
    except InvalidAgb as error:
        raise ValidationError(str(_l("An AGB code is eight digits, such as 01234567."))) from error


def postcode(_form: Any, field: Any) -> None:
    """A Dutch postcode, kept as "1234 AB"."""
    if not field.data:
        return
    try:
        field.data = normalise_postcode(field.data)
    except InvalidPostcode as error:
        raise ValidationError(
            str(_l("A Dutch postcode is four digits and two letters, such as 3511 AB."))
        ) from error


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_address(_form: Any, field: Any) -> None:
    """A plausible address, or nothing."""
    if field.data and not _EMAIL.match(field.data):
        raise ValidationError(
            str(_l("Enter an address such as name@example.nl, or leave it empty."))
        )
