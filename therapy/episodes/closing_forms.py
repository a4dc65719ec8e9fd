"""Closing forms: ending an episode with its final PSFS, and amending a closed episode."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date
from wtforms import FieldList, Form, FormField, RadioField, SelectField, SubmitField
from wtforms.validators import ValidationError

from therapy.forms.base import GuardedForm
from therapy.forms.fields import (
    HiddenIdField,
    Required,
    VersionField,
    choices,
    date_field,
    rating_field,
    text_field,
    textarea_field,
)
from therapy.i18n.labels import ENDING_LABELS, GOAL_STATUS_LABELS
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models.enums import EndingReason, GoalStatus
from therapy.services.psfs.scoring import MAX_GOALS


class FinalRatingRow(Form):
    """The end-of-treatment PSFS rating and status of one goal."""

    goal_id = HiddenIdField()
    score = rating_field(_l("Rating at the end (0–10)"))
    # Not posted (an older form): the goal keeps its status, so no choice is forced here.
    status = SelectField(
        _l("Status at the end"),
        choices=choices(GOAL_STATUS_LABELS),
        validate_choice=False,
        description=_l("“Active” if the patient keeps working on it after treatment."),
    )

    def validate_status(self, field: Any) -> None:
        """One of the three goal statuses, when given."""
        if field.data and field.data not in {status.value for status in GoalStatus}:
            raise ValidationError(_l("Not a valid choice."))


class CloseForm(GuardedForm):
    """Closing an episode: why and how it ended, the relapse-prevention plan, final PSFS."""

    keeps_drafts = True

    closed_on = date_field(_l("End date"), _l("The day treatment ended."))
    ending_reason = RadioField(
        _l("Reason for ending"),
        [Required(_l("Choose the reason treatment ended."))],
        choices=choices(ENDING_LABELS),
    )
    ending_reason_detail = textarea_field(
        _l("About the reason"), _l("Needed when the reason is “Other”."), max_length=2000, rows=2
    )
    outcome = textarea_field(
        _l("Result"),
        _l("What changed, and the answer to the GP's referral question."),
        rows=3,
    )
    relapse_prevention = textarea_field(
        _l("Relapse-prevention plan"),
        _l("Early signs the patient watches for, and what they then do."),
        rows=3,
    )
    advice = textarea_field(
        _l("Advice for the GP"),
        _l("For example time-contingent follow-up, or no repeated tests without new red flags."),
        rows=2,
    )
    advice_patient = textarea_field(
        _l("Advice for the patient"),
        _l("What the patient goes on doing at home, in words the patient uses."),
        rows=2,
    )
    final_ratings = FieldList(FormField(FinalRatingRow), _l("Goal"), max_entries=MAX_GOALS)
    version = VersionField()
    submit = SubmitField(_l("Close episode"))

    def __init__(self, *args: Any, earliest: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest

    def validate_closed_on(self, field: Any) -> None:
        """An episode cannot end before its intake or its last session."""
        if field.data and field.data < self.earliest:
            raise ValidationError(
                _l(
                    "The end date cannot be before %(date)s (the intake or the last session).",
                    date=format_date(self.earliest),
                )
            )

    def validate_ending_reason_detail(self, field: Any) -> None:
        """ "Other" needs words."""
        if self.ending_reason.data == EndingReason.OTHER.value and not field.data:
            raise ValidationError(_l("Say what the reason was."))


class AmendmentForm(GuardedForm):
    """A note added to a closed episode; the original record stays as it was."""

    keeps_drafts = True

    target = text_field(
        _l("What it concerns"),
        _l("For example “Session 4, home exercises” or “Closing: relapse-prevention plan”."),
    )
    text = textarea_field(
        _l("Amendment"),
        _l("The correction or addition. It is dated and signed with your name."),
        required=True,
        rows=5,
    )
    submit = SubmitField(_l("Add amendment"))
