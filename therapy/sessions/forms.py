"""The session form: one screen, one submit, in the order a session goes."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date
from wtforms import FieldList, Form, FormField, RadioField, SelectField, SubmitField
from wtforms.validators import ValidationError

from therapy.forms.base import GuardedForm
from therapy.forms.fields import (
    HiddenIdField,
    MultiCheckboxField,
    Required,
    VersionField,
    choices,
    date_field,
    rating_field,
    textarea_field,
    whole_number_field,
)
from therapy.i18n.labels import ATTENDANCE_LABELS, ELEMENT_LABELS, GOAL_STATUS_LABELS
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models.enums import Attendance, ProtocolElement, ScebsDimension
from therapy.services.alliance.checkin import LEFT_UNSAID, QUESTIONS
from therapy.services.episodes.session_log import Neighbour
from therapy.services.formulation.grid import FACTOR_LABELS, MAX_ENTRY_LENGTH
from therapy.services.protocol.elements import TECHNIQUES
from therapy.services.psfs.scoring import MAX_GOALS

SCEBS_PROMPTS = {
    "somatic": (_l("Somatic"), _l("The body: which symptoms, where, how strong, how often.")),
    "cognitive": (_l("Cognitive"), _l("Thoughts and beliefs about the symptoms and their cause.")),
    "emotional": (_l("Emotional"), _l("Feelings: worry, fear, frustration, sadness, irritation.")),
    "behavioural": (
        _l("Behavioural"),
        _l("What the patient does or avoids: activity, rest, checking, seeking reassurance."),
    ),
    "social": (_l("Social"), _l("Work, family, friends: how others respond, what has changed.")),
}

NOT_TO_GRID = ""


def _to_grid_field() -> SelectField:
    """Where in the 4P grid this SCEBS note goes, if anywhere (its row is its dimension)."""
    return SelectField(
        _l("Add to the formulation as"),
        choices=choices([(NOT_TO_GRID, _l("Not now")), *FACTOR_LABELS.items()]),
        default=NOT_TO_GRID,
    )


def _element_form(element: ProtocolElement) -> type[Form]:
    """The minutes, techniques and note of one protocol element."""

    class ElementForm(Form):
        """One element's minutes, ticked techniques and note."""

        minutes = whole_number_field(
            ELEMENT_LABELS[element],
            _l("Minutes; empty if not used."),
            0,
            240,
            placeholder="0",
        )
        techniques = MultiCheckboxField(
            _l("Techniques"),
            choices=choices((t.code, t.label) for t in TECHNIQUES[element]),
            description=_l("Tick what you used."),
        )
        note = textarea_field(_l("Note"), _l("What you did, briefly."), max_length=5000, rows=2)

        def validate(self, extra_validators: Any = None) -> bool:
            """Field rules, then: techniques ticked under an element mean time was spent."""
            valid = super().validate(extra_validators)
            if self.techniques.data and not self.minutes.data and not self.minutes.errors:
                self.minutes.errors.append(_l("You ticked techniques here: give the minutes."))
                valid = False
            return valid

    ElementForm.__name__ = f"{element.value.capitalize()}ElementForm"
    return ElementForm


class GoalReviewRow(Form):
    """The re-rating of one active PSFS goal and its status after this session."""

    goal_id = HiddenIdField()
    score = rating_field(_l("Rating today"), _l("0–10; leave empty if not discussed."))
    status = SelectField(
        _l("Status"), choices=choices(GOAL_STATUS_LABELS), description=_l("After this session.")
    )


class SessionForm(GuardedForm):
    """Everything about one session, in the order the session goes."""

    keeps_drafts = True

    held_on = date_field(_l("Date"), _l("Never in the future."))
    duration_minutes = whole_number_field(
        _l("Duration (minutes)"),
        _l("The protocol has 30–45 minutes; outside that you get a warning, not an error."),
        1,
        240,
    )
    attendance = RadioField(
        _l("Attendance"),
        [Required(_l("Choose whether the session took place."))],
        choices=choices(ATTENDANCE_LABELS),
        default=Attendance.ATTENDED.value,
        description=_l("Only attended sessions count toward the protocol's 6–12."),
    )
    symptom_course = textarea_field(
        _l("Symptoms since last time"), _l("How the symptoms went since the last session."), rows=2
    )
    scebs_somatic = textarea_field(*SCEBS_PROMPTS["somatic"], rows=2)
    scebs_cognitive = textarea_field(*SCEBS_PROMPTS["cognitive"], rows=2)
    scebs_emotional = textarea_field(*SCEBS_PROMPTS["emotional"], rows=2)
    scebs_behavioural = textarea_field(*SCEBS_PROMPTS["behavioural"], rows=2)
    scebs_social = textarea_field(*SCEBS_PROMPTS["social"], rows=2)
    to_grid_somatic = _to_grid_field()
    to_grid_cognitive = _to_grid_field()
    to_grid_emotional = _to_grid_field()
    to_grid_behavioural = _to_grid_field()
    to_grid_social = _to_grid_field()
    education = FormField(
        _element_form(ProtocolElement.EDUCATION), ELEMENT_LABELS[ProtocolElement.EDUCATION]
    )
    body = FormField(_element_form(ProtocolElement.BODY), ELEMENT_LABELS[ProtocolElement.BODY])
    cognitive = FormField(
        _element_form(ProtocolElement.COGNITIVE), ELEMENT_LABELS[ProtocolElement.COGNITIVE]
    )
    activating = FormField(
        _element_form(ProtocolElement.ACTIVATING), ELEMENT_LABELS[ProtocolElement.ACTIVATING]
    )
    goals = FieldList(FormField(GoalReviewRow), _l("Goal"), max_entries=MAX_GOALS)
    home_exercises = textarea_field(
        _l("Home exercises"), _l("What the patient practises until next time."), rows=2
    )
    notes = textarea_field(_l("Notes"), _l("Anything else worth keeping."), rows=2)
    alliance_bond = rating_field(QUESTIONS["bond"], _l("0 = not at all, 10 = completely."))
    alliance_goals = rating_field(QUESTIONS["goals"], _l("0 = not at all, 10 = completely."))
    alliance_tasks = rating_field(QUESTIONS["tasks"], _l("0 = not at all, 10 = completely."))
    left_unsaid = textarea_field(
        LEFT_UNSAID, _l("Optional: the patient's answer, in their words."), max_length=5000, rows=2
    )
    version = VersionField()
    appointment_id = HiddenIdField()  # the planned session it is logged for (from Today)
    submit = SubmitField(_l("Save session"))

    def __init__(
        self,
        *args: Any,
        earliest: date,
        previous: Neighbour | None = None,
        following: Neighbour | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest
        self.previous = previous
        self.following = following

    @property
    def attended(self) -> bool:
        """Whether the form says the session took place."""
        return self.attendance.data == Attendance.ATTENDED.value

    def element_forms(self) -> dict[ProtocolElement, Any]:
        """The four element sub-forms by element."""
        return {element: getattr(self, element.value).form for element in ProtocolElement}

    def alliance_fields(self) -> list[Any]:
        """The three check-in ratings, in question order."""
        return [self.alliance_bond, self.alliance_goals, self.alliance_tasks]

    def validate_held_on(self, field: Any) -> None:
        """A session is not before the intake, and lies between the sessions around it."""
        if not field.data:
            return
        if field.data < self.earliest:
            raise ValidationError(
                _l(
                    "The session cannot be before the intake on %(date)s.",
                    date=format_date(self.earliest),
                )
            )
        if self.previous and field.data < self.previous.held_on:
            raise ValidationError(
                _l(
                    "The session cannot be before session %(number)d, on %(date)s.",
                    number=self.previous.number,
                    date=format_date(self.previous.held_on),
                )
            )
        if self.following and field.data > self.following.held_on:
            raise ValidationError(
                _l(
                    "The session cannot be after session %(number)d, on %(date)s.",
                    number=self.following.number,
                    date=format_date(self.following.held_on),
                )
            )

    def validate_attendance(self, field: Any) -> None:
        """A session that did not take place has no minutes, techniques or ratings."""
        if self.attended or not field.data:
            return
        filled = any(
            form.minutes.data or form.techniques.data for form in self.element_forms().values()
        )
        filled = filled or any(f.data is not None for f in self.alliance_fields())
        filled = filled or any(entry.form.score.data is not None for entry in self.goals)
        if filled:
            raise ValidationError(
                _l(
                    "You entered minutes, techniques or ratings, but the session did not take "
                    "place. Choose “Attended”, or clear them."
                )
            )

    def grid_picks(self) -> dict[ScebsDimension, Any]:
        """The SCEBS notes' pick fields whose note is to go into the 4P grid, by dimension."""
        picks = {d: getattr(self, f"to_grid_{d.value}") for d in ScebsDimension}
        return {d: f for d, f in picks.items() if f.data and f.data != NOT_TO_GRID}

    def _check_grid_picks(self) -> bool:
        """A note goes to the grid only from a session that took place, and only if it fits."""
        valid = True
        for dimension, pick in self.grid_picks().items():
            note = getattr(self, f"scebs_{dimension.value}").data or ""
            if not self.attended:
                pick.errors.append(
                    _l("Only a session that took place can be where a factor came up.")
                )
            elif not note.strip():
                pick.errors.append(_l("Write the note first, or choose “Not now”."))
            elif len(note) > MAX_ENTRY_LENGTH:
                pick.errors.append(
                    _l(
                        "A factor in the formulation is at most %(max)d characters: shorten "
                        "the note, or choose “Not now”.",
                        max=MAX_ENTRY_LENGTH,
                    )
                )
            else:
                continue
            valid = False
        return valid

    def validate_left_unsaid(self, field: Any) -> None:
        """What was left unsaid is part of the check-in and is kept with its ratings."""
        if field.data and all(f.data is None for f in self.alliance_fields()):
            raise ValidationError(
                _l(
                    "This belongs to the check-in: give the three ratings too, or write it "
                    "under Notes."
                )
            )

    def _check_duration(self) -> bool:
        """An attended session has a duration that holds its elements' minutes."""
        field = self.duration_minutes
        if not self.attended or field.errors:
            return True
        if field.data is None:
            field.errors.append(_l("How long did the session last? 1 to 240 minutes."))
            return False
        total = sum(form.minutes.data or 0 for form in self.element_forms().values())
        if total > field.data:
            field.errors.append(
                _l(
                    "The four elements add up to %(total)d minutes, more than the %(duration)d "
                    "minutes of the session.",
                    total=total,
                    duration=field.data,
                )
            )
            return False
        return True

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules, then the duration and the check-in rule (three ratings or none)."""
        # Cross-field rules live here: an empty optional field stops its own validator chain.
        valid = super().validate(extra_validators)
        valid = self._check_duration() and valid
        valid = self._check_grid_picks() and valid
        fields = self.alliance_fields()
        given = [f for f in fields if f.data is not None or f.errors]
        if given and len(given) < len(fields):
            for f in fields:
                if f.data is None and not f.errors:
                    f.errors.append(_l("Give all three check-in ratings, or none."))
            valid = False
        return valid
