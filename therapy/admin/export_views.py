"""The practice exports page: start a FHIR NDJSON or research export, follow it, download it.

Exporting the practice is the administrator's task as data controller (no clinical note is
shown here): the job writes the file; downloading it is an EXPORT event on the audit trail.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from therapy.admin.blueprint import bp
from therapy.admin.forms import ExportStartForm
from therapy.audit.events import note_event
from therapy.exports import jobs
from therapy.exports.research.pseudonyms import MissingPseudonymKey, key_from_environment
from therapy.extensions import db
from therapy.i18n.translation import gettext as _
from therapy.models import ExportJob
from therapy.models.enums import AuditAction, ExportKind, ExportStatus

DOWNLOAD = {
    ExportKind.FHIR_PRACTICE: ("application/fhir+ndjson", "practice-fhir-r4.ndjson"),
    ExportKind.RESEARCH: ("application/zip", "practice-research-data.zip"),
}


def _job_or_404(job_id: int) -> ExportJob:
    job = db.session.get(ExportJob, job_id) if 1 <= job_id <= 2**31 - 1 else None
    if job is None:
        abort(404)
    return job


def _research_key_missing() -> str:
    try:
        key_from_environment()
    except MissingPseudonymKey as error:
        return str(error)
    return ""


def _state(job: ExportJob) -> dict[str, object]:
    """What the page and its poller show of a job."""
    alive = jobs.is_alive(job)
    status = job.status.value
    if job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) and not alive:
        status = "stopped"
    available = jobs.file_of(job) is not None
    return {
        "id": job.id,
        "status": status,
        "done": job.done,
        "total": job.total,
        "percent": round(100 * job.done / job.total) if job.total else (100 if available else 0),
        "running": alive,
        "error": job.error,
        "download": url_for("admin.export_download", job_id=job.id) if available else "",
    }


@bp.route("/exports")
def exports() -> str:
    """Both practice exports: the newest job of each, and a button to start one."""
    latest = jobs.latest_jobs()
    return render_template(
        "admin/exports.html",
        states={kind: _state(job) if job else None for kind, job in latest.items()},
        jobs_by_kind=latest,
        forms={kind: ExportStartForm(data={"kind": kind.value}) for kind in ExportKind},
        research_key_missing=_research_key_missing(),
        kinds=ExportKind,
    )


@bp.route("/exports/start", methods=["POST"])
def export_start() -> Response:
    """Start an export of the whole practice in the background."""
    form = ExportStartForm()
    if not form.validate_on_submit():
        flash(_("Choose which export to start."), "error")
        return redirect(url_for("admin.exports"))
    chosen = ExportKind(form.kind.data)
    try:
        job = jobs.start_job(chosen, int(current_user.id))
    except MissingPseudonymKey as error:
        flash(str(error), "error")
        return redirect(url_for("admin.exports"))
    except jobs.ExportBusy:
        flash(_("This export is already running; its progress is shown below."), "info")
        return redirect(url_for("admin.exports"))
    jobs.remove_expired_files()
    db.session.commit()
    jobs.launch(job.id)
    flash(_("The export has started. You can leave this page; it goes on without it."), "success")
    return redirect(url_for("admin.exports"))


@bp.route("/exports/<int:job_id>/status")
def export_status(job_id: int) -> Response:
    """How far a job is (polled by the page while it runs); no patient data."""
    return jsonify(_state(_job_or_404(job_id)))


@bp.route("/exports/<int:job_id>/download")
def export_download(job_id: int) -> Response | str:
    """The job's file, streamed from disk; an EXPORT event names who took it."""
    job = _job_or_404(job_id)
    path = jobs.file_of(job)
    if path is None:
        flash(
            _(
                "This export's file is not available: it is still being written, it failed, "
                "or it was removed after 24 hours. Start a new export to get a fresh file."
            ),
            "warning",
        )
        return exports()
    mimetype, name = DOWNLOAD[job.kind]
    note_event(
        AuditAction.EXPORT,
        patient_id=None,
        object_type="export_job",
        object_id=job.id,
        detail=f"{jobs.DETAIL[job.kind]} of the practice downloaded: {job.done} patients",
    )
    db.session.commit()
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=name)
