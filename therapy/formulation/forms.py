"""Forms of the formulation grid: add an entry, edit it, withdraw it."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import format_date
from wtforms import IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import HiddenInput

from therapy.forms.base import GuardedForm
from therapy.forms.filters import clean_text
from therapy.i18n.translation import gettext as _
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import TherapySession
from therapy.models.enums import Attendance
from therapy.services.formulation.grid import (
    DIMENSION_LABELS,
    DIMENSIONS,
    FACTOR_LABELS,
    FACTORS,
    MAX_ENTRY_LENGTH,
)

NO_SESSION = 0
# Row versions are small counters; a bigger number is tampering and must not reach the database.
MAX_VERSION = 2**31 - 1


def _session_choices(
    sessions: Sequence[TherapySession], kept: int | None = None
) -> list[SelectChoice]:
    """The sessions that took place (a cancelled one is where nothing came up), and the one
    an entry already names."""
    choices = [SelectChoice(NO_SESSION, _("Not in a particular session"))]  # type: ignore[arg-type]
    for session in sessions:
        if session.attendance != Attendance.ATTENDED and session.id != kept:
            continue
        label = _("Session %(number)d", number=session.number)
        choices.append(SelectChoice(session.id, f"{label} · {format_date(session.held_on)}"))  # type: ignore[arg-type]
    return choices


class _EntryFields(GuardedForm):
    """The text of an entry and the session it came up in."""

    keeps_drafts = True

    text = TextAreaField(
        _l("Factor"),
        validators=[DataRequired(), Length(max=MAX_ENTRY_LENGTH)],
        filters=[clean_text],
        description=_l(
            "One factor, in a sentence or two; in the patient's words where you can. "
            "At most 1000 characters."
        ),
    )
    session_id = SelectField(
        _l("Came up in"),
        coerce=int,
        description=_l("The session in which you and the patient found this factor."),
    )

    def set_sessions(self, sessions: Sequence[TherapySession], kept: int | None = None) -> None:
        """Offer only the episode's own sessions that took place (and the one `kept`)."""
        self.session_id.choices = _session_choices(sessions, kept)

    @property
    def chosen_session_id(self) -> int | None:
        """The chosen session's id, or None for "not in a particular session"."""
        value = self.session_id.data
        return None if not value else int(value)


class AddEntryForm(_EntryFields):
    """Add a factor to one cell of the grid."""

    dimension = SelectField(
        _l("SCEBS dimension"),
        choices=[SelectChoice(d.value, DIMENSION_LABELS[d]) for d in DIMENSIONS],
        validators=[InputRequired()],
        description=_l("The row: somatic, cognitive, emotional, behavioural or social."),
    )
    factor = SelectField(
        _l("Kind of factor"),
        choices=[SelectChoice(f.value, FACTOR_LABELS[f]) for f in FACTORS],
        validators=[InputRequired()],
        description=_l("The column: predisposing, precipitating, perpetuating or protective."),
    )
    submit = SubmitField(_l("Add to the formulation"))


class CellEntryForm(AddEntryForm):
    """The small add form in each cell of the grid (cell given by hidden fields; no drafts:
    twenty copies on one page would share one)."""

    keeps_drafts = False
    submit = SubmitField(_l("Add"))


class EditEntryForm(_EntryFields):
    """Change the text of an entry; the old text is kept in its history."""

    version = IntegerField(
        widget=HiddenInput(),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_VERSION)],
        description=_l("The version you opened, so nobody's changes are overwritten."),
    )
    submit = SubmitField(_l("Save changes"))


class WithdrawEntryForm(GuardedForm):
    """Take an entry off the grid; it stays in the history."""

    version = IntegerField(
        widget=HiddenInput(),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_VERSION)],
        description=_l("The version you opened, so nobody's changes are overwritten."),
    )
    submit = SubmitField(_l("Withdraw this entry"))
