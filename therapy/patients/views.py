"""Patient record views: the record, and the form to add or edit a patient."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from therapy.access.scoping import current_therapist_id, get_patient_or_404
from therapy.extensions import db
from therapy.forms.conflicts import ChangedField, show_conflict
from therapy.i18n.translation import gettext as _
from therapy.models import Patient, TreatmentEpisode
from therapy.models.versioning import StaleEdit
from therapy.patients.blueprint import bp
from therapy.patients.forms import PatientForm, patient_details, patient_form_data
from therapy.services.patients.details import (
    DuplicateBsn,
    create_patient,
    gp_options,
    update_patient,
)
from therapy.services.records.destruction import open_request_of


@bp.route("/<int:patient_id>")
def detail(patient_id: int) -> str:
    """The patient's record with every treatment episode."""
    patient = get_patient_or_404(
        patient_id,
        joinedload(Patient.gp),
        selectinload(Patient.main_symptoms),
        selectinload(Patient.episodes).selectinload(TreatmentEpisode.sessions),
    )
    return render_template(
        "patients/detail.html", patient=patient, destruction=open_request_of(patient.id)
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response:
    """Add a patient to my caseload."""
    therapist_id = current_therapist_id()
    if therapist_id is None:
        # Only therapists hold a caseload; the home page sends others where they belong.
        return redirect(url_for("caseload.index"))
    form = PatientForm(gps=gp_options())
    if form.validate_on_submit():
        try:
            patient = create_patient(therapist_id, patient_details(form))
            db.session.commit()
        except DuplicateBsn:
            db.session.rollback()
            form.bsn.errors.append(_duplicate_bsn_message())
        except IntegrityError:
            # Another save took a number or BSN at the same moment: nothing is lost, and the
            # message names no other record (finding 9).
            db.session.rollback()
            form.form_errors.append(_not_saved_message())
        else:
            flash(_("%(name)s was added to your caseload.", name=patient.full_name), "success")
            return redirect(url_for("patients.detail", patient_id=patient.id))
    return render_template("patients/form.html", form=form, patient=None, conflict=False)


@bp.route("/<int:patient_id>/edit", methods=["GET", "POST"])
def edit(patient_id: int) -> str | Response:
    """Edit demographics, GP and symptoms; an edit from a stale form never overwrites."""
    patient = get_patient_or_404(patient_id, selectinload(Patient.main_symptoms))
    # Stored values only fill a fresh form: a posted form must stand on what was posted, or a
    # missing version field would quietly pass the compare-and-swap.
    initial = patient_form_data(patient) if request.method == "GET" else None
    form = PatientForm(gps=gp_options(), data=initial, recorded_bsn=patient.masked_bsn)
    conflict = False
    changes: list[ChangedField] = []
    if form.validate_on_submit():
        try:
            update_patient(patient, patient_details(form), form.version.data)
            db.session.commit()
        except StaleEdit:
            db.session.rollback()
            conflict = True
            saved = PatientForm(formdata=None, gps=gp_options(), data=patient_form_data(patient))
            changes = show_conflict(form, saved, patient.version)
        except DuplicateBsn:
            db.session.rollback()
            form.bsn.errors.append(_duplicate_bsn_message())
        except IntegrityError:
            db.session.rollback()
            form.form_errors.append(_not_saved_message())
        else:
            flash(_("The changes were saved."), "success")
            return redirect(url_for("patients.detail", patient_id=patient_id))
    return render_template(
        "patients/form.html", form=form, patient=patient, conflict=conflict, changes=changes
    )


def _not_saved_message() -> str:
    return _("Another change was saved at the same moment. Save again: what you typed is kept.")


def _duplicate_bsn_message() -> str:
    return _(
        "This BSN is already recorded for another patient of the practice. One person has "
        "one record: check the number; if it is right, a new episode belongs in the existing "
        "record."
    )
