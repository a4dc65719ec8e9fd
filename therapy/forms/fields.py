"""Form building blocks every clinical form shares: clean text, whole numbers, safe dates.

Bad input must come back as a message next to the field, never as a server error: text is
stripped of NUL and other control characters (PostgreSQL refuses NUL), numbers are range
checked before they reach the database (SQLite overflows above 2**63), and dates are kept
between 1900 and today where the future makes no sense.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from wtforms import DateField, Field, FloatField, IntegerField, SelectMultipleField, StringField
from wtforms import TextAreaField as _TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from therapy.clock import practice_today
from therapy.i18n.locale import decimal_separator
from therapy.i18n.translation import lazy_gettext as _l

EARLIEST_DATE = date(1900, 1, 1)
SHORT_TEXT = 200
LONG_TEXT = 10_000
# Ids, versions and counts travel in forms; anything above a 32-bit integer is not ours.
MAX_INTEGER = 2**31 - 1

# Control characters other than tab, newline and carriage return; text direction marks and
# every other Unicode character stay as typed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: object) -> object:
    """Drop control characters (NUL above all) and surrounding white space from typed text."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value).strip()


def choices(pairs: Any) -> list[SelectChoice]:
    """Select options from (value, label) pairs or a {value: label} mapping."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value=str(value), label=label) for value, label in items]


def text_field(
    label: Any,
    description: Any,
    *,
    required: bool = False,
    max_length: int = SHORT_TEXT,
    **kwargs: Any,
) -> StringField:
    """A one-line text field with a length limit and cleaned input."""
    return StringField(
        label,
        _text_validators(required, max_length),
        description=description,
        filters=[clean_text],
        render_kw={"maxlength": max_length, **kwargs},
    )


def textarea_field(
    label: Any,
    description: Any,
    *,
    required: bool = False,
    max_length: int = LONG_TEXT,
    rows: int = 3,
) -> _TextAreaField:
    """A multi-line text field with a length limit and cleaned input."""
    return _TextAreaField(
        label,
        _text_validators(required, max_length),
        description=description,
        filters=[clean_text],
        render_kw={"rows": rows, "maxlength": max_length},
    )


def _text_validators(required: bool, max_length: int) -> list[Callable[..., None]]:
    validators: list[Callable[..., None]] = [
        Length(max=max_length, message=_l("Keep this under %(max)d characters.")),
    ]
    if required:
        validators.insert(0, Required())
    return validators


class Required:
    """A value is needed (after cleaning); the message says which, in plain words."""

    field_flags = {"required": True}

    def __init__(self, message: Any = None) -> None:
        self.message = message

    def __call__(self, form: Any, field: Field) -> None:
        data = field.data
        if field.process_errors:
            raise StopValidation()  # the value could not be read; that message says enough
        if data is None or (isinstance(data, str) and not data.strip()) or data == []:
            field.errors[:] = []  # "not a valid choice" for an unticked radio says less than this
            raise StopValidation(self.message or _l("This is needed."))


def whole_number_field(
    label: Any, description: Any, low: int, high: int, *, required: bool = False, **render_kw: Any
) -> IntegerField:
    """A whole number between low and high, with a message that names the range."""
    message = _l("Enter a whole number from %(min)d to %(max)d.", min=low, max=high)
    validators: list[Any] = [
        Required(message) if required else Optional(),
        InRange(low, high, message),
    ]
    return IntegerField(
        label,
        validators,
        description=description,
        invalid_value_message=message,
        render_kw={"min": low, "max": high, "inputmode": "numeric", **render_kw},
    )


def rating_field(label: Any, description: Any = None, *, required: bool = False) -> IntegerField:
    """A 0-10 rating (PSFS, alliance check-in, symptom intensity)."""
    return whole_number_field(label, description, 0, 10, required=required)


class InRange:
    """A number between low and high; an unreadable value already has its own message."""

    def __init__(self, low: int, high: int, message: Any) -> None:
        self.low, self.high, self.message = low, high, message

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is not None and not self.low <= field.data <= self.high:
            raise ValidationError(self.message)


class HiddenIdField(IntegerField):
    """A database id carried in a hidden input (checked against the parent by the view)."""

    widget = HiddenInput()

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        checks = [Optional(), InRange(1, MAX_INTEGER, _l("Reload the form."))]
        super().__init__(label, validators or checks, **kwargs)


class VersionField(HiddenIdField):
    """The row version the form was rendered from: the compare-and-swap token of an edit."""


def date_field(
    label: Any, description: Any, *, required: bool = True, allow_future: bool = False
) -> DateField:
    """A date from 1900 on; by default never later than today in the practice's time zone."""
    validators: list[Any] = [
        Required(_l("Enter a date.")) if required else Optional(),
        NotBefore1900(),
    ]
    if not allow_future:
        validators.append(NotInFuture())
    return CalendarDateField(
        label,
        validators,
        description=description,
        invalid_value_message=_l("Enter a real date, such as 2026-03-14."),
    )


class CalendarDateField(DateField):
    """A date input where an empty value is simply no date (a message comes from Required)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read YYYY-MM-DD; leave an empty input as None instead of an unreadable date."""
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class NotBefore1900:
    """Dates before 1900 are typing mistakes in this practice."""

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is not None and field.data < EARLIEST_DATE:
            raise ValidationError(_l("The date cannot be before 1900."))


class NotInFuture:
    """Things that have happened cannot be dated after today."""

    def __call__(self, form: Any, field: Field) -> None:
        if field.data is not None and field.data > practice_today():
            raise ValidationError(_l("The date cannot be in the future."))


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DecimalNumberField(FloatField):
    """A number with decimals, typed with a comma or a point ("0,80" as a Dutch practice
    writes it, or "0.80"), and shown in the page's language."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read "0,8" as 0.8; anything else that is not a number is refused as FloatField does."""
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".", 1), *valuelist[1:]]
        super().process_formdata(valuelist)

    def _value(self) -> str:
        shown = super()._value()
        if self.raw_data or not shown or "." not in shown:
            return str(shown)
        return str(shown).replace(".", decimal_separator())
