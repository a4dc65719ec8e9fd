"""Caseload views."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from therapy.caseload import bp
from therapy.formfields import clean_text
from therapy.scoping import search_caseload


@bp.route("/")
def index() -> str | Response:
    """My patients, searchable by name or record number, a page at a time."""
    if current_user.is_practice_admin:
        return redirect(url_for("admin.accounts"))
    # Cleaned like any typed text: PostgreSQL refuses a NUL byte even in a search pattern.
    text = str(clean_text(request.args.get("q", "")[:100]))
    page = request.args.get("page", 1, type=int) or 1
    result = search_caseload(
        text, page=page, per_page=int(current_app.config["CASELOAD_PAGE_SIZE"])
    )
    return render_template("caseload/index.html", caseload=result)
