"""The PHQ-15 entry form: fifteen items, a quick-entry box, the timepoint and the date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_babel import format_date
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from therapy.forms.base import GuardedForm
from therapy.i18n.labels import PHQ15_TIMEPOINT_LABELS
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import TherapySession
from therapy.models.enums import Phq15Timepoint, Sex
from therapy.services.phq15 import scoring as phq15
from therapy.services.phq15.records import EARLIEST_DATE, NOTE_MAX_LENGTH, Answer, clean_note
from therapy.services.phq15.words import ANSWER_LABELS, ITEM_TEXTS, NOT_APPLICABLE_LABEL

MISSING = ""  # the radio value of "not answered"
NA = phq15.NOT_APPLICABLE
ITEM_FIELDS = tuple(f"item_{item.number:02d}" for item in phq15.ITEMS)
# Quick entry: one character per item, in order; spaces between groups are allowed.
QUICK_CODES: dict[str, Answer] = {"0": 0, "1": 1, "2": 2, "n": NA, "-": NA, "x": None, ".": None}
QUICK_MAX_LENGTH = 60


class QuickEntryError(ValueError):
    """The quick-entry text is not fifteen valid codes."""


def parse_quick_entry(text: str) -> list[Answer]:
    """Fifteen answers from the quick-entry text; raises QuickEntryError with a message."""
    codes = [character for character in text.lower() if not character.isspace()]
    for position, code in enumerate(codes, start=1):
        if code not in QUICK_CODES:
            raise QuickEntryError(
                _l(
                    "Character %(position)d is not a code: use 0, 1 or 2, n or - for not "
                    "applicable (item 4 only), x or . for an item left blank.",
                    position=position,
                )
            )
    if len(codes) != phq15.ITEM_COUNT:
        raise QuickEntryError(
            _l(
                "The quick entry has %(count)d of 15 answers. Type one code per item, or "
                "clear the box and use the choices below.",
                count=len(codes),
            )
        )
    answers = [QUICK_CODES[code] for code in codes]
    wrong = [n for n, a in enumerate(answers, start=1) if a == NA and n != phq15.WOMEN_ONLY_ITEM]
    if wrong:
        raise QuickEntryError(
            _l("Only item 4 can be not applicable; item %(n)d cannot.", n=wrong[0])
        )
    return answers


def _radio_value(answer: Answer) -> str:
    return MISSING if answer is None else str(answer)


def _answer(value: str | None) -> Answer:
    if value in ("0", "1", "2"):
        return int(value)
    return NA if value == NA else None


def _item_field(item: phq15.Item) -> RadioField:
    choices = [SelectChoice(str(value), label) for value, label in ANSWER_LABELS.items()]
    if item.number == phq15.WOMEN_ONLY_ITEM:
        choices.append(SelectChoice(NA, NOT_APPLICABLE_LABEL))
    choices.append(SelectChoice(MISSING, _l("Not answered")))
    return RadioField(
        ITEM_TEXTS[item.number],
        choices=choices,
        default=MISSING,
        invalid_choice_message=_l(
            "Choose 0, 1 or 2 (or not applicable for item 4), or leave it not answered."
        ),
        # Only item 4 needs help: the others are plain questions under the stem.
        description=_l("Pre-set to “not applicable” for men; you can change it.")
        if item.number == phq15.WOMEN_ONLY_ITEM
        else "",
    )


class Phq15Form(GuardedForm):
    """One PHQ-15 administration; the server scores it, whatever the browser showed."""

    timepoint = SelectField(
        _l("Timepoint"),
        choices=[SelectChoice(t.value, label) for t, label in PHQ15_TIMEPOINT_LABELS.items()],
        default=Phq15Timepoint.BASELINE.value,
        validators=[InputRequired(message=_l("Choose when it was taken."))],
        invalid_choice_message=_l("Choose one of the timepoints in the list."),
        description=_l("When in the treatment the patient filled it in."),
    )
    session_id = SelectField(
        _l("Session"),
        choices=[],
        invalid_choice_message=_l("Choose one of this episode's sessions."),
        description=_l("Only for “At a session”: the session it was filled in at."),
    )
    timepoint_note = StringField(
        _l("Note on the timepoint"),
        validators=[Length(max=NOTE_MAX_LENGTH)],
        filters=[lambda text: clean_note(text) if text else text],
        description=_l(
            "Required for “Other”, e.g. “at referral” (up to %(n)d characters).",
            n=NOTE_MAX_LENGTH,
        ),
    )
    administered_on = DateField(
        _l("Date filled in"),
        validators=[InputRequired(message=_l("Enter the date it was filled in."))],
        description=_l("Not in the future, not before 1900."),
        render_kw={"min": EARLIEST_DATE.isoformat()},
    )
    quick = StringField(
        _l("Quick entry"),
        validators=[Length(max=QUICK_MAX_LENGTH)],
        description=_l(
            "Type the fifteen answers in item order: 0, 1 or 2; n or - for not applicable "
            "(item 4 only); x or . for an item left blank. Spaces are ignored. If you fill "
            "this in, it is used for the answers and must agree with any choice made below."
        ),
        render_kw={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"},
    )
    submit = SubmitField(_l("Save PHQ-15"))

    def __init__(
        self, *args: Any, sessions: Sequence[TherapySession], sex: Sex, today: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.sex = sex
        self.session_id.choices = [SelectChoice(MISSING, _l("— not at a session —"))] + [
            SelectChoice(
                str(s.id), _l("Session %(n)d, %(date)s", n=s.number, date=format_date(s.held_on))
            )
            for s in sessions
        ]
        self.administered_on.render_kw = {
            **self.administered_on.render_kw,
            "max": today.isoformat(),
        }
        if not self.is_submitted():
            self.administered_on.data = today
            if sex == Sex.MALE:
                # Item 4 is about periods: not applicable for men, and still editable.
                self["item_04"].data = NA

    def item_fields(self) -> list[tuple[phq15.Item, RadioField]]:
        """The fifteen item fields with their items, in order."""
        return [(item, self[name]) for item, name in zip(phq15.ITEMS, ITEM_FIELDS, strict=True)]

    def answers(self) -> list[Answer]:
        """The answers as the scoring module takes them (after validation)."""
        return [_answer(self[name].data) for name in ITEM_FIELDS]

    def validate_administered_on(self, field: DateField) -> None:
        """Range check: never in the future, never before 1900."""
        if field.data is None:
            return
        if field.data < EARLIEST_DATE:
            raise ValidationError(_l("The date cannot be before 1900."))
        if field.data > self.today:
            raise ValidationError(_l("The date cannot be in the future."))

    def validate_session_id(self, field: SelectField) -> None:
        """A session is required for the "at a session" timepoint."""
        if self.timepoint.data == Phq15Timepoint.SESSION.value and not field.data:
            raise ValidationError(_l("Choose the session it was filled in at."))

    def validate_timepoint_note(self, field: StringField) -> None:
        """ "Other" needs a few words to say when."""
        if self.timepoint.data == Phq15Timepoint.OTHER.value and not field.data:
            raise ValidationError(_l("Say in a few words when it was taken."))

    def validate_quick(self, field: StringField) -> None:
        """Apply the quick entry to the items, refusing it where a choice below disagrees."""
        if not field.data or not field.data.strip():
            return
        try:
            typed = parse_quick_entry(field.data)
        except QuickEntryError as error:
            raise ValidationError(str(error)) from error
        defaults = {name: self[name].default for name in ITEM_FIELDS}
        if self.sex == Sex.MALE:
            defaults["item_04"] = NA
        differ = [
            number
            for number, (name, answer) in enumerate(zip(ITEM_FIELDS, typed, strict=True), start=1)
            if self[name].data not in (defaults[name], _radio_value(answer))
        ]
        if differ:
            raise ValidationError(
                _l(
                    "The quick entry and the choices below differ at item %(items)s. Correct "
                    "one of them.",
                    items=", ".join(str(n) for n in differ),
                )
            )
        for name, answer in zip(ITEM_FIELDS, typed, strict=True):
            self[name].data = _radio_value(answer)


for _item, _name in zip(phq15.ITEMS, ITEM_FIELDS, strict=True):
    setattr(Phq15Form, _name, _item_field(_item))
