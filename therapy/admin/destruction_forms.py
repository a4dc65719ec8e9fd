"""Forms of the administrator's side of destruction: confirm, withdraw, record, propose."""

from __future__ import annotations

from wtforms import RadioField, StringField, SubmitField

from therapy.forms.base import GuardedForm
from therapy.forms.fields import HiddenIdField, Required, choices, date_field, text_field
from therapy.i18n.labels import REQUESTER_LABELS
from therapy.i18n.translation import lazy_gettext as _l

RECORD_NUMBER_LENGTH = 32


def _record_number(description: object) -> StringField:
    return text_field(
        _l("Record number"),
        description,
        required=True,
        max_length=RECORD_NUMBER_LENGTH,
        autocomplete="off",
    )


class ConfirmDestructionForm(GuardedForm):
    """The second step of a request the therapist granted: the record is destroyed."""

    request_id = HiddenIdField()
    record_number = _record_number(_l("Type the record number to destroy this record now."))
    submit = SubmitField(_l("Confirm and destroy the record"))


class WithdrawRequestForm(GuardedForm):
    """Withdraw a request still waiting."""

    request_id = HiddenIdField()
    submit = SubmitField(_l("Withdraw"))


class ReceivedRequestForm(GuardedForm):
    """A request to destroy a record that reached the practice's desk; the therapist decides."""

    record_number = _record_number(_l("The number of the record the request is about."))
    requested_on = date_field(
        _l("Date of the request"), _l("When the request reached the practice.")
    )
    requested_by = RadioField(
        _l("Who asked"),
        choices=choices(REQUESTER_LABELS),
        validators=[Required(_l("Choose who asked."))],
        description=_l("Record the kind of person only; no name is kept."),
    )
    submit = SubmitField(_l("Record the request for the therapist"))


class ProposeDestructionForm(GuardedForm):
    """Propose destroying a record whose 20 years have passed; the therapist decides."""

    patient_id = HiddenIdField()
    submit = SubmitField(_l("Propose destruction"))
