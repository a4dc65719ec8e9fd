"""Words shown for audit events, marked for translation."""

from __future__ import annotations

from flask import Flask

from therapy.i18n.translation import lazy_gettext as _l
from therapy.models.enums import AuditAction, AuditOutcome

AUDIT_ACTION_LABELS = {
    AuditAction.READ: _l("Viewed"),
    AuditAction.SEARCH: _l("Searched"),
    AuditAction.CREATE: _l("Added"),
    AuditAction.UPDATE: _l("Changed"),
    AuditAction.DELETE: _l("Deleted"),
    AuditAction.PRINT: _l("Printed"),
    AuditAction.EXPORT: _l("Exported"),
    AuditAction.LOGIN: _l("Logged in"),
    AuditAction.LOGOUT: _l("Logged out"),
    AuditAction.ACCOUNT: _l("Account change"),
}
AUDIT_OUTCOME_LABELS = {
    AuditOutcome.SUCCESS: _l("Done"),
    AuditOutcome.DENIED: _l("Refused"),
    AuditOutcome.FAILED: _l("Failed"),
}


def init_audit_labels(app: Flask) -> None:
    """Make the audit label tables available to every template."""
    app.jinja_env.globals.update(
        audit_action_labels=AUDIT_ACTION_LABELS, audit_outcome_labels=AUDIT_OUTCOME_LABELS
    )
