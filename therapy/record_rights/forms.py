"""Forms of the patient's rights: a destruction request with the therapist's decision."""

from __future__ import annotations

from typing import Any

from wtforms import RadioField, SubmitField
from wtforms.validators import ValidationError

from therapy.forms.base import GuardedForm
from therapy.forms.fields import Required, choices, date_field, text_field, textarea_field
from therapy.i18n.labels import REQUESTER_LABELS
from therapy.i18n.translation import lazy_gettext as _l
from therapy.services.records.destruction import Decision

YES, NO = "yes", "no"
GRANT, REFUSE = "grant", "refuse"
REASON_LENGTH = 2000


def _yes_no() -> list[Any]:
    return choices([(YES, _l("Yes")), (NO, _l("No"))])


class _DecisionFields(GuardedForm):
    """The therapist's decision: both exceptions of art. 7:455 lid 2 answered, and a reason."""

    other_interest = RadioField(
        _l("Is keeping the record of considerable interest to someone other than the patient?"),
        choices=_yes_no(),
        validators=[Required(_l("Answer yes or no."))],
        description=_l(
            "WGBO art. 7:455: for instance a relative for whom the record may matter, "
            "or a pending complaint or claim."
        ),
    )
    legal_duty = RadioField(
        _l("Does a law require keeping the record, or part of it?"),
        choices=_yes_no(),
        validators=[Required(_l("Answer yes or no."))],
        description=_l("WGBO art. 7:455: a legal duty to keep the record opposes destruction."),
    )
    decision = RadioField(
        _l("Your decision"),
        choices=choices(
            [
                (GRANT, _l("Grant: destroy the whole record")),
                (REFUSE, _l("Refuse: keep the record")),
            ]
        ),
        validators=[Required(_l("Choose to grant or to refuse."))],
    )
    reason = textarea_field(
        _l("Reason for the decision"),
        _l(
            "Kept in the practice's register after the record is destroyed: give the grounds "
            "of the decision, without the patient's name or clinical details."
        ),
        required=True,
        max_length=REASON_LENGTH,
    )

    def validate_decision(self, field: RadioField) -> None:
        """A request can be granted only when neither exception applies."""
        if field.data == GRANT and YES in (self.other_interest.data, self.legal_duty.data):
            raise ValidationError(
                str(
                    _l(
                        "An exception applies, so the record cannot be destroyed: refuse the "
                        "request and give the reason, or answer the questions again."
                    )
                )
            )

    def decision_made(self) -> Decision:
        """The decision as the procedure takes it."""
        return Decision(
            grant=self.decision.data == GRANT,
            other_interest=self.other_interest.data == YES,
            legal_duty=self.legal_duty.data == YES,
            reason=self.reason.data or "",
        )


class DestructionRequestForm(_DecisionFields):
    """A patient's request to destroy the record, as the therapist records and decides it."""

    requested_on = date_field(
        _l("Date of the request"), _l("When the request reached the practice.")
    )
    requested_by = RadioField(
        _l("Who asked"),
        choices=choices(REQUESTER_LABELS),
        validators=[Required(_l("Choose who asked."))],
        description=_l("Record the kind of person only; no name is kept."),
    )
    submit = SubmitField(_l("Record the request and decision"))


class DecisionForm(_DecisionFields):
    """The therapist's decision on a request the practice administrator recorded."""

    record_number = text_field(
        _l("Record number"),
        _l("To destroy the record now, type its record number. Not needed to refuse."),
        max_length=32,
        autocomplete="off",
    )
    submit = SubmitField(_l("Record the decision"))

    def validate_record_number(self, field: Any) -> None:
        """Granting destroys the record at once: it must be typed, deliberately."""
        if self.decision.data == GRANT and not (field.data or "").strip():
            raise ValidationError(str(_l("Type the record number to destroy the record.")))


class WithdrawForm(GuardedForm):
    """Withdraw a request still waiting (the patient changed their mind, or a mistake)."""

    submit = SubmitField(_l("Withdraw the request"))
