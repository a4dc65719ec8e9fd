"""The database-session hooks that write queued audit events in the action's own transaction."""

from __future__ import annotations

from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from therapy.access.flashes import store_flashes
from therapy.audit.changes import install_change_hooks
from therapy.audit.events import READ_METHODS, drop_queue, has_pending, write_queue
from therapy.audit.labels import init_audit_labels
from therapy.downloads import sendable
from therapy.extensions import db


def _before_commit(session: Session) -> None:
    # Flush first: a change not yet flushed queues its event in the flush hooks.
    session.flush()
    if has_pending(session):
        write_queue(session)


def _after_rollback(session: Session) -> None:
    # The action did not happen, so neither did its events.
    drop_queue(session)


class UnsendableResponse(RuntimeError):
    """A response whose headers no server can send: its export did not happen."""


def commit_read_events(response: Response) -> Response:
    """Commit the audit events of a successful GET: its reads must be on record.

    A download is on record as exported only when its bytes can go out: a header the server
    cannot encode would drop the connection after the trail said "success", so such a
    response becomes the error page and its events are rolled back with it.
    """
    pending = has_pending(db.session())
    if request.method in READ_METHODS and response.status_code < 500 and pending:
        if not sendable(response):
            raise UnsendableResponse(f"unsendable headers on {request.endpoint}")
        # The messages this page showed are cleared from the login in the same commit, not
        # in a second one after it (therapy.access.flashes.keep_flashes then has nothing left).
        store_flashes()
        db.session.commit()
    return response


def install_session_hooks() -> None:
    """Listen on every database session (once per process)."""
    session_class = type(db.session())  # Flask-SQLAlchemy's Session subclass
    if not event.contains(session_class, "before_commit", _before_commit):
        event.listen(session_class, "before_commit", _before_commit)
        event.listen(session_class, "after_rollback", _after_rollback)
    install_change_hooks(session_class)


def init_auditing(app: Flask) -> None:
    """Install the session hooks, the end-of-request commit for reads, and the labels."""
    init_audit_labels(app)
    with app.app_context():
        install_session_hooks()
    app.after_request(commit_read_events)
