"""The administrator's search of the audit trail (NEN 7513: the log is itself controlled)."""

from __future__ import annotations

from flask import current_app, render_template, request
from sqlalchemy import select

from therapy.admin.blueprint import bp
from therapy.admin.forms import AuditSearchForm
from therapy.audit.labels import AUDIT_ACTION_LABELS
from therapy.audit.queries import AuditFilter, search_events
from therapy.extensions import db
from therapy.models import User
from therapy.models.enums import AuditAction


@bp.route("/audit")
def audit() -> str:
    """Search events by account, patient number, action and date range, newest first."""
    form = AuditSearchForm(request.args)
    accounts = db.session.execute(select(User.id, User.full_name).order_by(User.full_name)).all()
    form.set_choices([(row.id, row.full_name) for row in accounts], AUDIT_ACTION_LABELS)
    valid = form.validate()
    filters = AuditFilter()
    if valid:
        filters = AuditFilter(
            user_id=int(form.user.data) if form.user.data else None,
            patient_id=form.patient_id.data,
            action=AuditAction(form.action.data) if form.action.data else None,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
    result = search_events(
        filters,
        zone=str(current_app.config["BABEL_DEFAULT_TIMEZONE"]),
        page=request.args.get("page", 1, type=int) or 1,
        per_page=int(current_app.config["AUDIT_PAGE_SIZE"]),
    )
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("admin/audit.html", form=form, result=result, query=query)
