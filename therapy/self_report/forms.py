"""The patient's forms (date of birth, PHQ-15, PSFS, check-in) and the therapist's request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from therapy.forms.base import GuardedForm
from therapy.i18n.labels import PHQ15_TIMEPOINT_LABELS
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import Goal, TherapySession
from therapy.models.enums import Phq15Timepoint, SelfReportChannel
from therapy.services.alliance.checkin import QUESTIONS
from therapy.services.phq15 import scoring as phq15
from therapy.services.phq15.records import Answer
from therapy.services.phq15.words import ANSWER_LABELS, ITEM_TEXTS, NOT_APPLICABLE_LABEL
from therapy.services.self_report.answers import LEFT_UNSAID_MAX_LENGTH
from therapy.services.self_report.requests import DEFAULT_VALID_DAYS, MAX_VALID_DAYS

ITEM_FIELDS = tuple(f"item_{item.number:02d}" for item in phq15.ITEMS)
RATINGS = tuple(str(n) for n in range(11))
BIRTH_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y")
# A patient is asked at a timepoint that needs no note ("Other" would need the therapist's).
# Each language named in itself, so a reader of the other language still finds their own.
LANGUAGE_CHOICES = [SelectChoice("nl", "Nederlands"), SelectChoice("en_GB", "English")]
PATIENT_TIMEPOINTS = tuple(t for t in Phq15Timepoint if t is not Phq15Timepoint.OTHER)


class BirthDateForm(GuardedForm):
    """The second check of a personal link: the patient's date of birth."""

    birth_date = StringField(
        _l("Your date of birth"),
        validators=[InputRequired(message=_l("Enter your date of birth.")), Length(max=20)],
        description=_l("For example 31-12-1970 (day, month, year)."),
        render_kw={"autocomplete": "bday", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Continue"))

    def typed_date(self) -> date | None:
        """The date typed, in any of the usual ways of writing it; None if unreadable."""
        text = (self.birth_date.data or "").strip()
        for pattern in BIRTH_DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        return None

    def validate_birth_date(self, field: StringField) -> None:
        """A readable date, or a message that shows how to write one."""
        if field.data and self.typed_date() is None:
            raise ValidationError(_l("Write the date as day-month-year, for example 31-12-1970."))


def _value(answer: Answer) -> str:
    return "" if answer is None else str(answer)


class PatientPhq15Form(GuardedForm):
    """The fifteen items as the patient answers them: any may be left out."""

    back = SubmitField(_l("Back"))
    submit = SubmitField(_l("Next"))

    def item_fields(self) -> list[tuple[phq15.Item, RadioField]]:
        """The fifteen item fields with their items, in order."""
        return [(item, self[name]) for item, name in zip(phq15.ITEMS, ITEM_FIELDS, strict=True)]

    def fill(self, answers: list[Answer]) -> None:
        """Show the answers given so far."""
        for name, answer in zip(ITEM_FIELDS, answers, strict=True):
            self[name].data = _value(answer)

    def answers(self) -> list[Answer]:
        """The answers as the scoring module takes them."""
        result: list[Answer] = []
        for name in ITEM_FIELDS:
            value = self[name].data
            if value in ("0", "1", "2"):
                result.append(int(value))
            else:
                result.append(phq15.NOT_APPLICABLE if value == phq15.NOT_APPLICABLE else None)
        return result


def _item_field(item: phq15.Item) -> RadioField:
    choices = [SelectChoice(str(value), label) for value, label in ANSWER_LABELS.items()]
    if item.number == phq15.WOMEN_ONLY_ITEM:
        choices.append(SelectChoice(phq15.NOT_APPLICABLE, NOT_APPLICABLE_LABEL))
    return RadioField(
        ITEM_TEXTS[item.number],
        choices=choices,
        validators=[Optional()],
        invalid_choice_message=_l("Choose one of the answers, or leave the question open."),
    )


for _item, _name in zip(phq15.ITEMS, ITEM_FIELDS, strict=True):
    setattr(PatientPhq15Form, _name, _item_field(_item))


def _rating_field(label: Any) -> RadioField:
    return RadioField(
        label,
        choices=[SelectChoice(value, value) for value in RATINGS],
        validators=[Optional()],
        invalid_choice_message=_l("Choose a number from 0 to 10."),
    )


class PatientCheckinForm(GuardedForm):
    """The alliance check-in as the patient answers it: three ratings and a free text."""

    bond = _rating_field(QUESTIONS["bond"])
    goals = _rating_field(QUESTIONS["goals"])
    tasks = _rating_field(QUESTIONS["tasks"])
    left_unsaid = TextAreaField(
        _l("Is there anything you did not say in the session? (optional)"),
        validators=[Length(max=LEFT_UNSAID_MAX_LENGTH)],
        filters=[lambda text: text.replace("\x00", "").strip() if text else text],
    )
    back = SubmitField(_l("Back"))
    submit = SubmitField(_l("Next"))


def psfs_form(goals: list[Goal], formdata: Any = None) -> GuardedForm:
    """A form with one 0-10 rating per goal (named goal_<id>)."""

    class PatientPsfsForm(GuardedForm):
        back = SubmitField(_l("Back"))
        submit = SubmitField(_l("Next"))

    for goal in goals:
        setattr(PatientPsfsForm, f"goal_{goal.id}", _rating_field(goal.activity))
    return PatientPsfsForm() if formdata is None else PatientPsfsForm(formdata=formdata)


class SubmitAnswersForm(GuardedForm):
    """The final submit of every answer."""

    submit = SubmitField(_l("Send my answers"))


class LanguageForm(GuardedForm):
    """The patient's choice of language."""

    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Change language"))


class ReturnForm(GuardedForm):
    """The way back from a handed-over device: the therapist's password."""

    password = PasswordField(
        _l("Therapist's password"),
        validators=[InputRequired(message=_l("Enter your password.")), Length(max=128)],
    )
    submit = SubmitField(_l("Back to my pages"))


class RequestForm(GuardedForm):
    """What the therapist asks the patient to answer, and how."""

    phq15_timepoint = SelectField(
        _l("PHQ-15"),
        choices=[SelectChoice("", _l("— no PHQ-15 —"))]
        + [SelectChoice(t.value, PHQ15_TIMEPOINT_LABELS[t]) for t in PATIENT_TIMEPOINTS],
        default="",
        invalid_choice_message=_l("Choose one of the timepoints in the list."),
        description=_l("The timepoint the PHQ-15 is for; leave empty to ask none."),
    )
    phq15_session_id = SelectField(
        _l("Session of the PHQ-15"),
        choices=[],
        invalid_choice_message=_l("Choose one of this episode's sessions."),
        description=_l("Only for “At a session”."),
    )
    psfs = BooleanField(
        _l("PSFS: rate the episode's goals"),
        description=_l("The patient rates each active goal from 0 to 10."),
    )
    checkin_session_id = SelectField(
        _l("Alliance check-in of a session"),
        choices=[],
        invalid_choice_message=_l("Choose one of this episode's sessions."),
        description=_l("Only sessions without a check-in can be chosen."),
    )
    channel = RadioField(
        _l("How"),
        choices=[
            SelectChoice(SelfReportChannel.DEVICE.value, _l("Hand this device to the patient")),
            SelectChoice(SelfReportChannel.LINK.value, _l("A personal link and QR code")),
        ],
        default=SelfReportChannel.DEVICE.value,
        validators=[InputRequired(message=_l("Choose how the patient answers."))],
        invalid_choice_message=_l("Choose how the patient answers."),
    )
    language = SelectField(
        _l("The patient's language"),
        choices=LANGUAGE_CHOICES,
        description=_l("The patient can change it on their screen."),
    )
    valid_days = IntegerField(
        _l("Link valid for (days)"),
        default=DEFAULT_VALID_DAYS,
        validators=[
            InputRequired(message=_l("Enter a number of days.")),
            NumberRange(min=1, max=MAX_VALID_DAYS, message=_l("From 1 to 30 days.")),
        ],
        description=_l("Only for a link. After this it stops working."),
    )
    submit = SubmitField(_l("Ask the patient"))

    def __init__(self, *args: Any, sessions: list[TherapySession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        none = SelectChoice("", _l("— none —"))
        self.phq15_session_id.choices = [none] + [
            SelectChoice(str(s.id), _l("Session %(n)d", n=s.number)) for s in sessions
        ]
        self.checkin_session_id.choices = [none] + [
            SelectChoice(str(s.id), _l("Session %(n)d", n=s.number))
            for s in sessions
            if s.alliance is None
        ]

    @staticmethod
    def number(value: str | None) -> int | None:
        """A chosen session's id, or None."""
        return int(value) if value and value.isdigit() else None
