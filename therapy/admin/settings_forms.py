"""The practice settings form: how change is judged, the practice's details and language."""

from __future__ import annotations

import math
from collections.abc import Callable

from wtforms import Field, Form, IntegerField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from therapy.forms.base import GuardedForm
from therapy.forms.fields import DecimalNumberField, choices
from therapy.i18n.locale import LANGUAGE_NAMES
from therapy.i18n.translation import lazy_gettext as _l
from therapy.services.patients.record_numbers import PREFIX_MAX, is_valid_prefix, normalised_prefix
from therapy.services.practice.settings import PHQ15_MCID_RANGE, PSFS_MCID_RANGE, SD_MAX


def _within(
    low: float, high: float, message: str, *, open_low: bool = False, open_high: bool = False
) -> Callable[[Form, Field], None]:
    """A range check that also refuses NaN and infinity (NumberRange lets NaN through)."""

    def check(_form: Form, field: Field) -> None:
        value = field.data
        if value is None:
            return
        above = low < value if open_low else low <= value
        below = value < high if open_high else value <= high
        if not (math.isfinite(value) and above and below):
            raise ValidationError(str(message))

    return check


class PracticeSettingsForm(GuardedForm):
    """How change is judged on every chart, page and letter of the practice."""

    phq15_sd = DecimalNumberField(
        _l("PHQ-15 standard deviation (SD)"),
        validators=[
            InputRequired(),
            _within(
                0,
                SD_MAX,
                _l("Give an SD above 0 and at most %(high)s points.", high=f"{SD_MAX:g}"),
                open_low=True,
            ),
        ],
        description=_l(
            "The spread of PHQ-15 totals at intake in your patients, in points. Default 4.0 "
            "(the usual published value); replace it with your own baseline SD once you have one."
        ),
        render_kw={"inputmode": "decimal", "step": "0.1", "min": "0.1", "max": f"{SD_MAX:g}"},
    )
    phq15_alpha = DecimalNumberField(
        _l("PHQ-15 reliability (Cronbach's alpha)"),
        validators=[
            InputRequired(),
            _within(
                0,
                1,
                _l("Give an alpha above 0 and below 1, such as 0.80."),
                open_low=True,
                open_high=True,
            ),
        ],
        description=_l("Between 0 and 1. Default 0.80."),
        render_kw={"inputmode": "decimal", "step": "0.01", "min": "0.01", "max": "0.99"},
    )
    phq15_mcid = IntegerField(
        _l("PHQ-15 minimal important change (points)"),
        validators=[
            InputRequired(),
            NumberRange(
                *PHQ15_MCID_RANGE,
                message=_l(
                    "Give a whole number from %(low)d to %(high)d.",
                    low=PHQ15_MCID_RANGE[0],
                    high=PHQ15_MCID_RANGE[1],
                ),
            ),
        ],
        description=_l(
            "A whole number of points from %(low)d to %(high)d. Default 3 (meta-analysis, "
            "JAMA Netw Open 2024).",
            low=PHQ15_MCID_RANGE[0],
            high=PHQ15_MCID_RANGE[1],
        ),
        render_kw={"min": PHQ15_MCID_RANGE[0], "max": PHQ15_MCID_RANGE[1]},
    )
    psfs_mcid = DecimalNumberField(
        _l("PSFS minimal important change (points on the mean)"),
        validators=[
            InputRequired(),
            _within(
                *PSFS_MCID_RANGE,
                _l(
                    "Give a number from %(low)s to %(high)s.",
                    low=f"{PSFS_MCID_RANGE[0]:g}",
                    high=f"{PSFS_MCID_RANGE[1]:g}",
                ),
            ),
        ],
        description=_l(
            "From %(low)s to %(high)s. Default 2, the commonly cited value.",
            low=f"{PSFS_MCID_RANGE[0]:g}",
            high=f"{PSFS_MCID_RANGE[1]:g}",
        ),
        render_kw={
            "inputmode": "decimal",
            "step": "0.1",
            "min": f"{PSFS_MCID_RANGE[0]:g}",
            "max": f"{PSFS_MCID_RANGE[1]:g}",
        },
    )
    language = RadioField(
        _l("Language of the practice"),
        choices=choices(LANGUAGE_NAMES),
        # Left out of a post, the language stays as it is (validate_language).
        validate_choice=False,
        description=_l(
            "The language of the screens of every account that has not chosen its own, and "
            "of new documents unless another is chosen when they are drafted."
        ),
    )
    record_prefix = StringField(
        _l("Record number prefix"),
        validators=[Optional(), Length(max=PREFIX_MAX + 1)],
        description=_l(
            "New patients get the next number after it, such as PLG-00042: letters and "
            "digits, up to 8, beginning with a letter. Changing it changes only the numbers "
            "of patients added afterwards."
        ),
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Save settings"))

    def validate_record_prefix(self, field: StringField) -> None:
        """Letters A-Z and digits, beginning with a letter; empty leaves it as it is."""
        if field.data and not is_valid_prefix(normalised_prefix(field.data)):
            raise ValidationError(
                _l("Use 1 to 8 letters (A–Z) and digits, beginning with a letter, such as PLG.")
            )

    def validate_language(self, field: RadioField) -> None:
        """One of the product's languages, or nothing (unchanged)."""
        if field.data not in (None, "", *LANGUAGE_NAMES):
            raise ValidationError(_l("Choose one of the languages."))
