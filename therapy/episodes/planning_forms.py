"""Planning forms: one planned session or a series, and moving or cancelling one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from wtforms import RadioField, SubmitField, TimeField
from wtforms.validators import Optional, ValidationError

from therapy.clock import practice_today
from therapy.forms.base import GuardedForm
from therapy.forms.fields import (
    Required,
    choices,
    date_field,
    textarea_field,
    whole_number_field,
)
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models.enums import Repeat
from therapy.services.episodes.planning import MAX_SERIES

REPEAT_LABELS = {
    Repeat.ONCE: _l("Once"),
    Repeat.WEEKLY: _l("Every week"),
    Repeat.FORTNIGHTLY: _l("Every two weeks"),
}
CHANGE_LABELS = {"move": _l("Move it"), "cancel": _l("Cancel it")}
ONLY_THIS, THIS_AND_LATER = "one", "later"
SCOPE_LABELS = {
    ONLY_THIS: _l("Only this one"),
    THIS_AND_LATER: _l("This and all later planned ones of this episode"),
}
PLAN_AHEAD = timedelta(days=2 * 365)  # a diary does not reach further


def _time_field(label: Any, description: Any, *, required: bool) -> TimeField:
    return TimeField(
        label,
        [Required(_l("Enter a time.")) if required else Optional()],
        description=description,
        format="%H:%M",
        render_kw={"step": 300},
    )


class WithinPlanningReach:
    """A planned day from today on, and no more than two years ahead."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data is None:
            return
        today = practice_today()
        if field.data < today:
            raise ValidationError(_l("A session is planned for today or later."))
        if field.data > today + PLAN_AHEAD:
            raise ValidationError(_l("Plan no more than two years ahead."))


class PlanForm(GuardedForm):
    """The next session, or a series of them at the same time of day."""

    first_on = date_field(_l("Date"), _l("The day of the (first) session."), allow_future=True)
    starts_at = _time_field(_l("Time"), _l("When it starts, such as 14:30."), required=True)
    repeat = RadioField(
        _l("Repeat"),
        [Required(_l("Choose how often."))],
        choices=choices(REPEAT_LABELS),
        default=Repeat.WEEKLY.value,
    )
    count = whole_number_field(
        _l("Number of sessions"),
        _l("How many sessions the series plans (1 to %(max)d).", max=MAX_SERIES),
        1,
        MAX_SERIES,
    )
    submit = SubmitField(_l("Plan"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first_on.validators = [*self.first_on.validators, WithinPlanningReach()]


class ChangeForm(GuardedForm):
    """Move a planned session to another day or time, or cancel it (or it and the rest of its
    series); either with a reason."""

    action = RadioField(
        _l("Move or cancel"),
        [Required(_l("Choose to move or to cancel."))],
        choices=choices(CHANGE_LABELS),
    )
    planned_on = date_field(
        _l("New date"), _l("Needed to move it."), required=False, allow_future=True
    )
    starts_at = _time_field(_l("New time"), _l("Needed to move it."), required=False)
    scope = RadioField(
        _l("Which sessions to cancel"),
        [Required(_l("Choose which sessions to cancel."))],
        choices=choices(SCOPE_LABELS),
        default=ONLY_THIS,
        description=_l("Only for cancelling; a move changes this session only."),
    )
    reason = textarea_field(
        _l("Reason"),
        _l("Why it is moved or cancelled, such as “patient ill” or “therapist on a course”."),
        required=True,
        max_length=500,
        rows=2,
    )
    submit = SubmitField(_l("Save the change"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.planned_on.validators = [*self.planned_on.validators, WithinPlanningReach()]

    def validate_planned_on(self, field: Any) -> None:
        """A move needs the new day."""
        if self.action.data == "move" and field.data is None and not field.errors:
            raise ValidationError(_l("Enter the new date."))

    def validate_starts_at(self, field: Any) -> None:
        """A move needs the new time."""
        if self.action.data == "move" and field.data is None and not field.errors:
            raise ValidationError(_l("Enter the new time."))
