"""The patient form: demographics, GP (an existing one or a new one), main symptoms."""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, RadioField, SelectField, SubmitField
from wtforms.validators import ValidationError

from therapy.forms import identifiers
from therapy.forms.base import GuardedForm
from therapy.forms.fields import (
    MultiCheckboxField,
    Required,
    VersionField,
    choices,
    date_field,
    rating_field,
    text_field,
    textarea_field,
)
from therapy.i18n.labels import EDUCATION_LABELS, SEX_LABELS, SYMPTOM_LABELS
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import Patient
from therapy.models.enums import EducationLevel, RobbinsSymptom, Sex
from therapy.services.patients.bsn import BSN_INPUT_LENGTH, BsnProblem, InvalidBsn, normalise_bsn
from therapy.services.patients.details import KEEP_BSN, PatientDetails
from therapy.services.practice.identifiers import AGB_INPUT_LENGTH, POSTCODE_INPUT_LENGTH

NEW_GP = "new"
NO_GP = ""
BSN_MESSAGES = {
    BsnProblem.NOT_DIGITS: _l("A BSN is nine digits; leave it empty if it is not known."),
    BsnProblem.LENGTH: _l("A BSN is nine digits; this number has another length."),
    BsnProblem.CHECKSUM: _l(
        "This is not a valid BSN: it fails the 11-test. Check the digits on the patient’s "
        "identity document or insurance card."
    ),
}


class PatientForm(GuardedForm):
    """Create or edit a patient; the owner is always the logged-in therapist, never a field,
    and the record number is given by the app, never typed (finding 9)."""

    keeps_drafts = True

    given_name = text_field(
        _l("Given name"), _l("As on letters to the GP."), required=True, max_length=100
    )
    voorvoegsel = text_field(
        _l("Prefix (voorvoegsel)"),
        _l("“de” of “de Vries”, “van den” of “van den Berg”; empty when there is none."),
        max_length=20,
    )
    family_name = text_field(
        _l("Family name"),
        _l("The main surname, without its prefix: “Vries” of “de Vries”."),
        required=True,
        max_length=100,
    )
    date_of_birth = date_field(_l("Date of birth"), _l("Year, month, day."))
    sex = RadioField(
        _l("Sex"),
        [Required(_l("Choose one."))],
        choices=choices(SEX_LABELS),
        description=_l("Decides whether PHQ-15 item 4 (periods) applies."),
    )
    education_level = SelectField(
        _l("Education level"),
        choices=choices(EDUCATION_LABELS),
        default="unknown",
        description=_l("Highest completed education."),
    )
    address = textarea_field(_l("Address"), _l("Street, postcode, city."), max_length=500, rows=2)
    phone = text_field(
        _l("Phone"), _l("Where the patient can be reached."), max_length=40, autocomplete="off"
    )
    email = text_field(_l("E-mail address"), _l("Optional."), max_length=254)
    bsn = text_field(
        _l("BSN (burgerservicenummer)"),
        _l(
            "Nine digits; checked with the 11-test. Printed on letters to the GP, who files "
            "them by it; other screens show only its last three digits."
        ),
        max_length=BSN_INPUT_LENGTH,
        autocomplete="off",
        inputmode="numeric",
    )
    remove_bsn = BooleanField(
        _l("Remove the recorded BSN"),
        description=_l("Only when the recorded number is wrong and the right one is not known."),
    )
    insurer = text_field(_l("Health insurer"), _l("Optional."), max_length=100)
    insurance_number = text_field(
        _l("Policy number"), _l("Optional; as on the insurance card."), max_length=40
    )
    gp = SelectField(
        _l("GP"),
        description=_l(
            "The patient's GP, who usually referred them. Not in the list? "
            "Choose “A new GP” and fill in the details below."
        ),
        validate_choice=True,
    )
    new_gp_name = text_field(
        _l("New GP's title and initials"), _l("For example “Dr. J.” of “Dr. J. van Dijk”.")
    )
    new_gp_voorvoegsel = text_field(
        _l("New GP's prefix (voorvoegsel)"), _l("For example “van”; optional."), max_length=20
    )
    new_gp_family_name = text_field(
        _l("New GP's family name"), _l("The main surname, for example “Dijk”."), max_length=100
    )
    new_gp_practice = text_field(_l("Practice"), _l("The GP practice or health centre."))
    new_gp_address = text_field(
        _l("Street and number"), _l("The GP practice's street address."), max_length=200
    )
    new_gp_postcode = text_field(
        _l("Postcode"),
        _l("Four digits and two letters: 3531 AA."),
        max_length=POSTCODE_INPUT_LENGTH,
    )
    new_gp_city = text_field(_l("Town"), _l("Where the practice is."), max_length=100)
    new_gp_phone = text_field(_l("Phone"), _l("The practice's number."), max_length=40)
    new_gp_agb = text_field(
        _l("AGB code"), _l("Eight digits; optional."), max_length=AGB_INPUT_LENGTH
    )
    main_symptoms = MultiCheckboxField(
        _l("Main symptoms"),
        choices=choices(SYMPTOM_LABELS),
        description=_l("From the Robbins list: tick every symptom the patient was referred with."),
    )
    other_symptoms = textarea_field(
        _l("Other symptoms"),
        _l("Symptoms the list does not name, in the patient's words."),
        max_length=2000,
        rows=2,
    )
    symptom_intensity = rating_field(
        _l("Symptom intensity"), _l("0 = no symptoms, 10 = the worst imaginable.")
    )
    version = VersionField()
    submit = SubmitField(_l("Save patient"))

    def __init__(
        self, *args: Any, gps: list[tuple[int, str]], recorded_bsn: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The recorded BSN never goes back into the page: the field shows its last digits.
        self.recorded_bsn = recorded_bsn
        if recorded_bsn:
            self.bsn.description = _l(
                "Recorded: %(masked)s. Leave this empty to keep it; type the number again to "
                "replace it.",
                masked=recorded_bsn,
            )
        self.gp.choices = choices(
            [(NO_GP, _l("No GP recorded")), (NEW_GP, _l("A new GP (fill in below)")), *gps]
        )

    def validate_email(self, field: Any) -> None:
        """A plausible address, or nothing."""
        identifiers.email_address(self, field)

    def validate_bsn(self, field: Any) -> None:
        """Nine digits that pass the 11-test, or nothing."""
        if not field.data:
            return
        if self.remove_bsn.data:
            raise ValidationError(
                _l("Either type a BSN or tick “Remove the recorded BSN”, not both.")
            )
        try:
            normalise_bsn(field.data)
        except InvalidBsn as error:
            raise ValidationError(BSN_MESSAGES[error.problem]) from error

    def chosen_bsn(self) -> str | None:
        """The checked BSN typed, "" to remove the recorded one, or KEEP_BSN to leave it."""
        if self.bsn.data:
            return normalise_bsn(self.bsn.data)
        if self.remove_bsn.data:
            return ""
        return KEEP_BSN if self.recorded_bsn else ""

    def validate_new_gp_name(self, field: Any) -> None:
        """A new GP needs a name; new-GP details next to a chosen GP are a contradiction."""
        if self.gp.data == NEW_GP and not (field.data or self.new_gp_family_name.data):
            raise ValidationError(_l("Give the new GP's name, or choose a GP from the list."))
        if self.gp.data != NEW_GP and self.new_gp_details():
            raise ValidationError(
                _l(
                    "You filled in a new GP but chose another option above: choose “A new GP” "
                    "or clear these details."
                )
            )

    def validate_new_gp_agb(self, field: Any) -> None:
        """The AGB code is exactly eight digits."""
        identifiers.agb_code(self, field)

    def validate_new_gp_postcode(self, field: Any) -> None:
        """A Dutch postcode, kept as 1234 AB."""
        identifiers.postcode(self, field)

    def new_gp_details(self) -> dict[str, str]:
        """The filled-in new-GP fields, keyed by model column."""
        values = {
            "name": self.new_gp_name.data,
            "voorvoegsel": self.new_gp_voorvoegsel.data,
            "family_name": self.new_gp_family_name.data,
            "practice_name": self.new_gp_practice.data,
            "address": self.new_gp_address.data,
            "postcode": self.new_gp_postcode.data,
            "city": self.new_gp_city.data,
            "phone": self.new_gp_phone.data,
            "agb_code": self.new_gp_agb.data,
        }
        return {key: value for key, value in values.items() if value}


def patient_details(form: PatientForm) -> PatientDetails:
    """The validated form as the service's plain data (never populate_obj: no owner field)."""
    new_gp = form.new_gp_details() if form.gp.data == NEW_GP else {}
    return PatientDetails(
        given_name=form.given_name.data or "",
        voorvoegsel=form.voorvoegsel.data or "",
        family_name=form.family_name.data or "",
        date_of_birth=form.date_of_birth.data,
        sex=Sex(form.sex.data),
        education_level=EducationLevel(form.education_level.data),
        address=form.address.data or "",
        phone=form.phone.data or "",
        email=form.email.data or "",
        bsn=form.chosen_bsn(),
        insurer=form.insurer.data or "",
        insurance_number=form.insurance_number.data or "",
        gp_id=int(form.gp.data) if form.gp.data not in (NO_GP, NEW_GP, None) else None,
        new_gp=new_gp,
        symptoms=tuple(RobbinsSymptom(value) for value in form.main_symptoms.data or ()),
        other_symptoms=form.other_symptoms.data or "",
        symptom_intensity=form.symptom_intensity.data,
    )


def patient_form_data(patient: Patient) -> dict[str, Any]:
    """The form's initial values for an existing patient."""
    return {
        "given_name": patient.given_name,
        "voorvoegsel": patient.voorvoegsel,
        "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth,
        "sex": patient.sex.value,
        "education_level": patient.education_level.value,
        "address": patient.address,
        "phone": patient.phone,
        "email": patient.email,
        "insurer": patient.insurer,
        "insurance_number": patient.insurance_number,
        "gp": str(patient.gp_id) if patient.gp_id else NO_GP,
        "main_symptoms": [s.symptom.value for s in patient.main_symptoms],
        "other_symptoms": patient.other_symptoms,
        "symptom_intensity": patient.symptom_intensity,
        "version": patient.version,
    }
