"""The practice's GPs: the list, and the form that corrects one (name, address, AGB code)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from therapy.access.scoping import MAX_ID, current_therapist_id
from therapy.audit.events import note_event
from therapy.extensions import db
from therapy.forms.conflicts import ChangedField, show_conflict
from therapy.i18n.translation import gettext as _
from therapy.models import GeneralPractitioner
from therapy.models.enums import AuditAction
from therapy.models.versioning import StaleEdit
from therapy.patients.blueprint import bp
from therapy.patients.gp_forms import GpForm
from therapy.services.patients.gps import details_of, gp_lines, update_gp


def _form_data(gp: GeneralPractitioner) -> dict[str, object]:
    return {**details_of(gp).__dict__, "version": gp.version}


@bp.route("/gps")
def gps() -> str | Response:
    """Every GP of the practice, each a click from the form that corrects it."""
    if current_therapist_id() is None:
        # GPs are added and corrected by the therapists who refer to them.
        return redirect(url_for("caseload.index"))
    return render_template("gps/index.html", gps=gp_lines())


@bp.route("/gps/<int:gp_id>/edit", methods=["GET", "POST"])
def edit_gp(gp_id: int) -> str | Response:
    """Correct a GP's details; an edit from a stale form never overwrites (shared by all)."""
    if current_therapist_id() is None:
        return redirect(url_for("caseload.index"))
    gp = db.session.get(GeneralPractitioner, gp_id) if 1 <= gp_id <= MAX_ID else None
    if gp is None:
        abort(404)
    # A posted form stands on what was posted, so a missing version never passes the check.
    form = GpForm(data=_form_data(gp) if request.method == "GET" else None)
    conflict = False
    changes: list[ChangedField] = []
    if form.validate_on_submit():
        try:
            changed = update_gp(gp, form.details(), form.version.data)
            if changed:
                note_event(
                    AuditAction.UPDATE,
                    patient_id=None,
                    object_type="general_practitioner",
                    object_id=gp.id,
                    detail="changed: " + ", ".join(changed),
                )
            db.session.commit()
        except StaleEdit:
            db.session.rollback()
            conflict = True
            saved = GpForm(formdata=None, data=_form_data(gp))
            changes = show_conflict(form, saved, gp.version)
        else:
            flash(_("The details of %(name)s were saved.", name=gp.full_name), "success")
            return redirect(url_for("patients.gps"))
    return render_template("gps/form.html", form=form, gp=gp, conflict=conflict, changes=changes)
