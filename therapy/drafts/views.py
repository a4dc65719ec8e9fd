"""Draft views: the autosave of an open form, and discarding a kept draft."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort, current_app, flash, jsonify, redirect, request
from flask_babel import format_time
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from therapy.access.redirects import is_local_path
from therapy.access.scoping import patient_of_page_or_404
from therapy.drafts.blueprint import bp
from therapy.extensions import db
from therapy.forms.drafts import DraftTooLarge, discard_draft, draft_fields, save_draft
from therapy.forms.guard import draftable_endpoint
from therapy.forms.keys import earlier_submission, is_form_key
from therapy.i18n.translation import gettext as _


def _form_page(path: str) -> tuple[str, Mapping[str, Any]]:
    """The clinical form page at `path` and its URL arguments, or 404."""
    if not is_local_path(path) or "?" in path:
        abort(404)
    try:
        endpoint, args = current_app.url_map.bind("").match(path, method="GET")
    except HTTPException:
        abort(404)
    if not draftable_endpoint(endpoint):
        abort(404)
    return str(endpoint), args


@bp.route("/save", methods=["POST"])
def save() -> tuple[Response, int] | Response:
    """Keep what is typed in an open form (drafts.js posts it about every 30 seconds)."""
    path = request.form.get("_draft_path", "")
    _endpoint, args = _form_page(path)
    patient_id = patient_of_page_or_404(args)
    user_id = int(current_user.id)
    key = request.form.get("form_key")
    if is_form_key(key) and earlier_submission(user_id, str(key)) is not None:
        # The form was saved meanwhile: a draft of it would only bring old text back.
        return jsonify(saved=False, message=_("The form has been saved.")), 409
    try:
        draft = save_draft(user_id, path, draft_fields(request.form), patient_id)
        db.session.commit()
    except DraftTooLarge:
        db.session.rollback()
        return jsonify(saved=False, message=_("Too much text to keep as a draft.")), 413
    except (IntegrityError, StaleDataError):
        # The form was saved at this very moment, which removed its draft.
        db.session.rollback()
        return jsonify(saved=False, message=_("The form has been saved.")), 409
    kept_at = format_time(draft.saved_at, "short")
    return jsonify(saved=True, message=_("Draft kept at %(time)s, not saved yet", time=kept_at))


@bp.route("/discard", methods=["POST"])
def discard() -> Response:
    """Throw away the kept draft of a form and open the form as stored."""
    path = request.form.get("path", "")
    _endpoint, args = _form_page(path)
    patient_of_page_or_404(args)
    discard_draft(int(current_user.id), path)
    db.session.commit()
    flash(_("The draft was discarded."), "info")
    return redirect(path)
