"""Forms of the documents pages: consent, new version, the letter's text, finalising."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from therapy.forms.base import GuardedForm
from therapy.forms.filters import clean_text
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models.enums import DocumentKind
from therapy.services.documents.letter import MAX_TEXT_LENGTH

YES, NO = "yes", "no"
# Row versions are small counters; a bigger number is tampering and must not reach the database.
MAX_VERSION = 2**31 - 1


def _yes_no() -> list[SelectChoice]:
    return [SelectChoice(YES, _l("Yes")), SelectChoice(NO, _l("No"))]  # type: ignore[arg-type]


class ConsentForm(GuardedForm):
    """The patient's answer to: may we inform your GP?"""

    consent = RadioField(
        _l("Does the patient agree that the GP receives a summary of the treatment?"),
        choices=_yes_no(),
        validators=[InputRequired(message=_l("Choose yes or no."))],
        description=_l("Ask the patient and record the answer; without consent no letter is made."),
    )
    version = IntegerField(
        widget=HiddenInput(),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_VERSION)],
        description=_l("The version of the episode you saw."),
    )
    submit = SubmitField(_l("Record the answer"))


class NewVersionForm(GuardedForm):
    """Open a draft: the first version of a document, or a correction of the final one."""

    kind = HiddenField(
        validators=[DataRequired()],
        description=_l("Which document: treatment report or GP letter."),
    )
    submit = SubmitField(_l("Start a draft"))

    def chosen_kind(self) -> DocumentKind | None:
        """The kind asked for, if it is one we make."""
        try:
            return DocumentKind(self.kind.data)
        except ValueError:
            return None


def _letter_text(label: object, help_text: object) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Length(max=MAX_TEXT_LENGTH)],
        filters=[clean_text],
        description=help_text,
        render_kw={"rows": 5},
    )


class LetterForm(GuardedForm):
    """The GP letter's own words, prefilled from the record and edited before sending."""

    keeps_drafts = True

    summary = _letter_text(
        _l("Summary of the formulation"),
        _l("Three to five lines: what keeps the symptoms going, and what protects."),
    )
    result = _letter_text(
        _l("Result and answer to the referral question"),
        _l("What changed, in words a GP can use, and the answer to the question asked."),
    )
    advice_gp = _letter_text(
        _l("Plan for the GP"),
        _l("For example time-contingent follow-up, or no repeated tests without new red flags."),
    )
    advice_patient = _letter_text(
        _l("Plan for the patient"),
        _l("Home exercises and relapse prevention the patient takes along."),
    )
    agreed_with_patient = RadioField(
        _l("Plan agreed with the patient"),
        choices=_yes_no(),
        validators=[Optional()],
        description=_l("Needed before the letter can be finalised."),
    )
    fingerprint = HiddenField(
        validators=[DataRequired(), Length(max=64)],
        description=_l("Identifies the text you opened, so nobody's changes are overwritten."),
    )
    submit = SubmitField(_l("Save the letter"))
    refill = SubmitField(_l("Fill in again from the record"))


class FinaliseForm(GuardedForm):
    """Finalise a draft: the PDF is made once and kept unchanged from then on."""

    confirm = BooleanField(
        _l("I have read the draft and it is ready"),
        validators=[DataRequired(message=_l("Tick the box to confirm you have read the draft."))],
        description=_l("A final document cannot be changed; a correction becomes a new version."),
    )
    fingerprint = HiddenField(
        validators=[DataRequired(), Length(max=64)],
        description=_l("Identifies the text you read, so a later change is not finalised unseen."),
    )
    submit = SubmitField(_l("Finalise"))
