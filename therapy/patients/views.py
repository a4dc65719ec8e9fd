"""Patient record views."""

from __future__ import annotations

from flask import render_template
from sqlalchemy.orm import joinedload, selectinload

from therapy.models import Patient, TreatmentEpisode
from therapy.patients import bp
from therapy.scoping import get_patient_or_404


@bp.route("/<int:patient_id>")
def detail(patient_id: int) -> str:
    """The patient's record with every treatment episode."""
    patient = get_patient_or_404(
        patient_id,
        joinedload(Patient.gp),
        selectinload(Patient.main_symptoms),
        selectinload(Patient.episodes).selectinload(TreatmentEpisode.sessions),
    )
    return render_template("patients/detail.html", patient=patient)
