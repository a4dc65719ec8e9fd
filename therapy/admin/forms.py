"""Forms of the practice administration: accounts, practice settings and the audit search."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    MonthField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from therapy.forms.base import GuardedForm
from therapy.i18n.labels import PROFESSION_LABELS, ROLE_LABELS
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models.enums import AuditAction, ExportKind, Role
from therapy.services.accounts.passwords import MAX_LENGTH

EARLIEST = "1900-01-01"


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(label)) for role, label in ROLE_LABELS.items()]


def _profession_choices() -> list[tuple[str, str]]:
    return [("", str(_l("None (administrator)")))] + [
        (profession.value, str(label)) for profession, label in PROFESSION_LABELS.items()
    ]


class _RoleFields(GuardedForm):
    """Role and profession, checked together: a therapist needs a profession."""

    role = SelectField(
        _l("Role"),
        choices=_role_choices,
        validators=[DataRequired()],
        description=_l(
            "Therapists keep a caseload. Administrators manage accounts and read the audit "
            "log, never clinical notes."
        ),
    )
    profession = SelectField(
        _l("Profession"),
        choices=_profession_choices,
        validators=[Optional()],
        description=_l("Required for a therapist; printed under the signature on letters."),
    )

    def validate_profession(self, field: SelectField) -> None:
        """A therapist account names its profession."""
        if self.role.data == Role.THERAPIST.value and not field.data:
            raise ValidationError(str(_l("Choose the therapist's profession.")))


class NewAccountForm(_RoleFields):
    """A new account with a first password the person changes after logging in."""

    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("As printed on letters and reports."),
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("The person logs in with this address."),
    )
    registration_number = StringField(
        _l("Register number"),
        validators=[Optional(), Length(max=40)],
        description=_l("BIG or quality register number, for therapists."),
    )
    password = PasswordField(
        _l("First password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description=_l(
            "At least 12 characters, not a common password. Give it to the person in "
            "person; they set up their authenticator app at the first login."
        ),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("First password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Create account"))


class RoleForm(_RoleFields):
    """Changing an account's role."""

    submit = SubmitField(_l("Change role"))


class ConfirmForm(GuardedForm):
    """A button that changes an account: a POST with a CSRF token and nothing else."""


class ExportStartForm(GuardedForm):
    """The button that starts one of the practice exports."""

    kind = HiddenField(validators=[DataRequired(), AnyOf([kind.value for kind in ExportKind])])
    submit = SubmitField(_l("Start the export"))


class PracticeLeadForm(GuardedForm):
    """Whether a therapist is the practice lead (sees the practice outcomes, no patient)."""

    is_practice_lead = BooleanField(
        _l("Practice lead"),
        description=_l(
            "A practice lead also sees the practice outcomes page: counts and averages across "
            "therapists, never a patient."
        ),
    )
    submit = SubmitField(_l("Save"))


class AuditSearchForm(GuardedForm):
    """Filters of the audit search (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    user = SelectField(_l("Account"), validators=[Optional()], description=_l("Who acted."))
    patient_id = IntegerField(
        _l("Patient number"),
        validators=[Optional(), NumberRange(min=1, max=2_147_483_647)],
        description=_l("The internal number of the patient record."),
    )
    action = SelectField(_l("Action"), validators=[Optional()], description=_l("What was done."))
    date_from = DateField(
        _l("From"),
        validators=[Optional()],
        description=_l("First day, inclusive."),
        render_kw={"min": EARLIEST},
    )
    date_to = DateField(
        _l("Until"),
        validators=[Optional()],
        description=_l("Last day, inclusive."),
        render_kw={"min": EARLIEST},
    )
    submit = SubmitField(_l("Search"))

    def set_choices(self, accounts: list[tuple[int, str]], actions: dict[AuditAction, str]) -> None:
        """Fill the account and action lists."""
        self.user.choices = [("", str(_l("Anyone")))] + [(str(i), n) for i, n in accounts]
        self.action.choices = [("", str(_l("Any action")))] + [
            (action.value, str(label)) for action, label in actions.items()
        ]

    def validate_date_from(self, field: DateField) -> None:
        """No dates before 1900."""
        if field.data is not None and field.data.year < 1900:
            raise ValidationError(str(_l("Give a date in 1900 or later.")))

    def validate_date_to(self, field: DateField) -> None:
        """No dates before 1900, and not before the first day."""
        if field.data is None:
            return
        if field.data.year < 1900:
            raise ValidationError(str(_l("Give a date in 1900 or later.")))
        if self.date_from.data is not None and field.data < self.date_from.data:
            raise ValidationError(str(_l("The last day is before the first day.")))


class OutcomesFilterForm(GuardedForm):
    """The months the outcomes page covers (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    first = MonthField(
        _l("From month"),
        validators=[Optional()],
        description=_l("First month, inclusive; empty for the beginning."),
        render_kw={"min": "1900-01"},
    )
    last = MonthField(
        _l("Until month"),
        validators=[Optional()],
        description=_l("Last month, inclusive; empty for up to now."),
        render_kw={"min": "1900-01"},
    )
    submit = SubmitField(_l("Show"))

    def validate_first(self, field: MonthField) -> None:
        """No months before 1900."""
        if field.data is not None and field.data.year < 1900:
            raise ValidationError(str(_l("Give a month in 1900 or later.")))

    def validate_last(self, field: MonthField) -> None:
        """No months before 1900, and not before the first month."""
        if field.data is None:
            return
        if field.data.year < 1900:
            raise ValidationError(str(_l("Give a month in 1900 or later.")))
        if self.first.data is not None and field.data < self.first.data:
            raise ValidationError(str(_l("The last month is before the first month.")))
