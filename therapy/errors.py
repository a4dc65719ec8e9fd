"""Error pages: calm words instead of stack traces, and a rollback after a failure."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from therapy.database.lock_retry import note_lock_timeout
from therapy.extensions import db
from therapy.forms.guard import form_page_endpoint


def _page(template: str, status: int) -> tuple[str, int]:
    return render_template(template), status


def init_error_pages(app: Flask) -> None:
    """Register handlers for the errors a user can meet."""

    # An expired form (CSRFError) is shown again as typed: see therapy.forms.guard.

    @app.errorhandler(403)
    def forbidden(_error: HTTPException) -> tuple[str, int]:
        return _page("errors/403.html", 403)

    @app.errorhandler(404)
    def not_found(_error: HTTPException) -> tuple[str, int]:
        return _page("errors/404.html", 404)

    @app.errorhandler(405)
    def method_not_allowed(_error: HTTPException) -> tuple[str, int]:
        return _page("errors/405.html", 405)

    @app.errorhandler(413)
    def too_large(_error: HTTPException) -> tuple[str, int]:
        # Handled like an expired form: nothing saved, and the way back to the form, where
        # the draft kept while typing is offered. The body itself cannot be read any more.
        db.session.rollback()
        form_url = request.path if form_page_endpoint(request.endpoint) else None
        return render_template("errors/too_large.html", form_url=form_url), 413

    @app.errorhandler(500)
    def server_error(error: InternalServerError) -> tuple[str, int]:
        # The failed unit of work must not leak into the error page's own queries.
        db.session.rollback()
        note_lock_timeout(error.original_exception)  # the request is then run again
        return _page("errors/500.html", 500)
