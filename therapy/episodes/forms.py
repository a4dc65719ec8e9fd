"""Episode forms: the intake of a treatment episode (closing forms: closing_forms.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date
from wtforms import FieldList, Form, FormField, SelectField, SubmitField
from wtforms.validators import ValidationError

from therapy.forms.base import GuardedForm
from therapy.forms.fields import (
    VersionField,
    choices,
    date_field,
    rating_field,
    text_field,
    textarea_field,
    whole_number_field,
)
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import TreatmentEpisode
from therapy.models.enums import AnswerSource, RatingOccasion
from therapy.services.episodes.intake import GoalInput, IntakeDetails
from therapy.services.protocol.elements import PROTOCOL_MAX_SESSIONS, PROTOCOL_MIN_SESSIONS
from therapy.services.psfs.scoring import MAX_GOALS

NO_GP = ""


class GoalRow(Form):
    """One PSFS activity: what the patient finds hard, in their words, rated 0-10 now."""

    activity = text_field(
        _l("Activity"),
        _l("An everyday activity the patient has difficulty with."),
        max_length=200,
    )
    patient_words = textarea_field(
        _l("In the patient's words"),
        _l("How the patient put it."),
        max_length=1000,
        rows=1,
    )
    baseline = rating_field(
        _l("Rating now (0–10)"),
        _l("0 = unable to do it, 10 = as well as before the problem."),
    )

    def validate_activity(self, field: Any) -> None:
        """A rating or words without an activity is half a goal."""
        if not field.data and (self.patient_words.data or self.baseline.data is not None):
            raise ValidationError(_l("Name the activity, or clear this row."))

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules, then: every named activity is rated at intake (the PSFS baseline)."""
        # Here and not as validate_baseline: an empty optional field stops its own chain.
        valid = super().validate(extra_validators)
        if self.activity.data and self.baseline.data is None and not self.baseline.errors:
            self.baseline.errors.append(_l("Rate the activity as it is now, 0 to 10."))
            valid = False
        return valid


class IntakeForm(GuardedForm):
    """The referral, the request for help and the PSFS goals of a treatment episode."""

    keeps_drafts = True

    started_on = date_field(_l("Intake date"), _l("The day of the intake conversation."))
    referral_date = date_field(_l("Referral date"), _l("The date on the GP's referral."))
    referred_by = SelectField(_l("Referred by"), description=_l("The GP who referred the patient."))
    referral_question = textarea_field(
        _l("Referral question"), _l("What the GP asks of the treatment."), rows=3
    )
    request_for_help = textarea_field(
        _l("Request for help"),
        _l(
            "The patient's own question, in the patient's own words (hulpvraag). You will "
            "return to it throughout the treatment."
        ),
        rows=3,
    )
    expectations = textarea_field(
        _l("Expectations"), _l("What the patient expects of the treatment and of you."), rows=2
    )
    planned_sessions = whole_number_field(
        _l("Planned sessions"),
        _l("The protocol has 6 to 12 sessions."),
        1,
        40,
        required=True,
    )
    planned_sessions_reason = textarea_field(
        _l("Reason for a different number"),
        _l("Needed when you plan fewer than 6 or more than 12 sessions."),
        max_length=2000,
        rows=2,
    )
    goals = FieldList(FormField(GoalRow), _l("Goal"), min_entries=MAX_GOALS, max_entries=MAX_GOALS)
    version = VersionField()
    submit = SubmitField(_l("Save intake"))

    def __init__(
        self,
        *args: Any,
        gps: list[tuple[int, str]],
        first_session: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.referred_by.choices = choices([(NO_GP, _l("Not recorded")), *gps])
        self.first_session = first_session

    def validate_started_on(self, field: Any) -> None:
        """Sessions follow the intake: its date cannot move past the first logged session."""
        if field.data and self.first_session and field.data > self.first_session:
            raise ValidationError(first_session_message(self.first_session))

    def validate_referral_date(self, field: Any) -> None:
        """The referral comes before the intake."""
        if field.data and self.started_on.data and field.data > self.started_on.data:
            raise ValidationError(_l("The referral cannot be after the intake date."))

    def validate_planned_sessions_reason(self, field: Any) -> None:
        """Planning outside the protocol's range is allowed, with a reason (a DB rule too)."""
        planned = self.planned_sessions.data
        outside = planned is not None and not (
            PROTOCOL_MIN_SESSIONS <= planned <= PROTOCOL_MAX_SESSIONS
        )
        if outside and not field.data:
            raise ValidationError(
                _l(
                    "You planned %(n)d sessions, outside the protocol's 6 to 12: give a reason.",
                    n=planned,
                )
            )

    def details(self) -> IntakeDetails:
        """The validated form as the service's plain data."""
        referred = self.referred_by.data
        return IntakeDetails(
            started_on=self.started_on.data,
            referral_date=self.referral_date.data,
            referred_by_id=int(referred) if referred and referred != NO_GP else None,
            referral_question=self.referral_question.data or "",
            request_for_help=self.request_for_help.data or "",
            expectations=self.expectations.data or "",
            planned_sessions=int(self.planned_sessions.data or 0),
            planned_sessions_reason=self.planned_sessions_reason.data or "",
            goals=tuple(
                GoalInput(
                    position=index,
                    activity=row.activity.data or "",
                    patient_words=row.patient_words.data or "",
                    baseline=row.baseline.data,
                )
                for index, row in enumerate((entry.form for entry in self.goals), start=1)
            ),
        )


def first_session_message(first_session: date) -> str:
    """Why the intake date was refused: a session was already logged before it."""
    return str(
        _l(
            "The intake cannot be after the first session, on %(date)s. If that session's "
            "date is wrong, correct the session first.",
            date=format_date(first_session),
        )
    )


def patient_given_baselines(episode: TreatmentEpisode | None) -> dict[int, AnswerSource]:
    """The goals (by position) whose baseline the patient gave themselves, and how: the
    intake keeps those as given (therapy.services.episodes.intake.PatientRated)."""
    if episode is None:
        return {}
    return {
        goal.position: rating.source
        for goal in episode.goals
        for rating in goal.ratings
        if rating.occasion == RatingOccasion.BASELINE
        and rating.source != AnswerSource.THERAPIST_PAPER
    }


def intake_form_data(episode: TreatmentEpisode) -> dict[str, Any]:
    """The intake form's initial values for an existing episode."""
    by_position = {goal.position: goal for goal in episode.goals}
    goals = []
    for position in range(1, MAX_GOALS + 1):
        goal = by_position.get(position)
        baseline = None
        if goal is not None:
            baseline = next(
                (r.score for r in goal.ratings if r.occasion == RatingOccasion.BASELINE), None
            )
        goals.append(
            {
                "activity": goal.activity if goal else "",
                "patient_words": goal.patient_words if goal else "",
                "baseline": baseline,
            }
        )
    return {
        "started_on": episode.started_on,
        "referral_date": episode.referral_date,
        "referred_by": str(episode.referred_by_id) if episode.referred_by_id else NO_GP,
        "referral_question": episode.referral_question,
        "request_for_help": episode.request_for_help,
        "expectations": episode.expectations,
        "planned_sessions": episode.planned_sessions,
        "planned_sessions_reason": episode.planned_sessions_reason,
        "goals": goals,
        "version": episode.version,
    }
