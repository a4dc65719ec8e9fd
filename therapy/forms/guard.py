"""Nothing typed is lost: one save per form, drafts cleared by the save, expired forms kept.

- A post with a form key claims it in the save's own transaction; a second post with the
  same key is sent where the first went, with a message, and saves nothing.
- The same transaction removes the account's draft of that form, so a saved form leaves no
  draft behind and an unsaved one keeps it.
- A post whose CSRF token expired comes back as typed with a "not saved yet" banner; nothing
  is stored for it, since a post without a good token may come from another site.
- A post whose login ended is kept as a draft of the account that typed it; after logging
  in again the therapist lands on the form with the text restored.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_app_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_time
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from therapy.extensions import db
from therapy.forms import keys as form_keys
from therapy.forms.base import RESTORE_ARG, RESTORE_VALUE
from therapy.forms.drafts import (
    DraftTooLarge,
    discard_draft,
    draft_fields,
    draft_saved_at,
    save_draft,
)
from therapy.i18n.translation import gettext as _
from therapy.models import Patient, User

# Posts that are not the save of a rendered form: they never claim a key.
UNKEYED_ENDPOINTS = frozenset({"auth.keep_alive", "drafts.save", "drafts.discard"})
# Drafts are kept for clinical forms only: never for a login, password or account form.
DRAFT_BLUEPRINTS = frozenset(
    {"patients", "episodes", "sessions", "phq15", "formulation", "documents"}
)
# What a form posts for a choice, a date or a number, not typed text: not worth giving back.
_CHOICE_OR_NUMBER = re.compile(r"[a-z_]*|[\d\s.,:/-]*")
# How long a second post waits for the first to say where it led.
_RESULT_WAIT_SECONDS = 3.0


def form_page_endpoint(endpoint: str | None) -> bool:
    """True for an endpoint that shows a form on GET and saves it on POST."""
    if endpoint is None:
        return False
    rules = current_app.url_map.iter_rules(endpoint)
    return any({"GET", "POST"} <= (rule.methods or set()) for rule in rules)


def draftable_endpoint(endpoint: str | None) -> bool:
    """True for a clinical form page, whose typed text may be kept as a draft."""
    return form_page_endpoint(endpoint) and str(endpoint).split(".")[0] in DRAFT_BLUEPRINTS


def restore_url(path: str) -> str:
    """The form at `path`, filled from the account's draft."""
    return f"{path}?{RESTORE_ARG}={RESTORE_VALUE}"


def patient_of_path(path_args: Mapping[str, Any], user_id: int) -> int | None:
    """The patient a form address belongs to, if that patient is on this account's caseload."""
    patient_id = path_args.get("patient_id")
    if not isinstance(patient_id, int):
        return None
    owner = db.session.scalar(select(Patient.therapist_id).where(Patient.id == patient_id))
    return patient_id if owner == user_id else None


def _claim() -> Response | None:
    """Before a post runs: claim its form key and drop the draft it is about to save."""
    if request.method != "POST" or request.endpoint in UNKEYED_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return None
    key = request.form.get("form_key")
    if not form_keys.is_form_key(key):
        return None
    user_id = int(current_user.id)
    earlier = form_keys.claim_form_key(user_id, str(key), request.path)
    if earlier is not None:
        db.session.rollback()
        return _already_saved(user_id, str(key), earlier.result_url)
    g.claimed_form_key = str(key)
    discard_draft(user_id, request.path)
    return None


def _already_saved(user_id: int, key: str, result_url: str) -> Response:
    # The first post may have committed a moment ago and not yet said where it led.
    deadline = time.monotonic() + _RESULT_WAIT_SECONDS
    while not result_url and time.monotonic() < deadline:
        time.sleep(0.1)
        earlier = form_keys.earlier_submission(user_id, key)
        db.session.rollback()  # never hold SQLite's write lock while waiting
        result_url = earlier.result_url if earlier else ""
    flash(_("This form had been sent already. It was saved once, not twice."), "info")
    return redirect(result_url or request.path)


def _note_commit(session: Session) -> None:
    if has_app_context() and g.get("claimed_form_key"):
        g.form_key_committed = True


def record_claimed_result(location: str) -> None:
    """A save about to commit: note where it leads on its claimed key, in its own transaction
    (so the save, its key and its result are one commit and _settle has nothing left to do)."""
    key = g.pop("claimed_form_key", None)
    if key is not None:
        form_keys.record_result(int(current_user.id), key, location)


def _settle(response: Response) -> Response:
    """After a post: remember where a saved form led, or free the key of an unsaved one."""
    key = g.pop("claimed_form_key", None)
    if key is None or not g.pop("form_key_committed", False):
        return response  # nothing was committed: the claim rolls back with the request
    user_id = int(current_user.id)
    if response.status_code in (301, 302, 303, 307, 308) and response.location:
        form_keys.record_result(user_id, key, response.location)
    else:
        # The view committed something but showed the form again: the form was not saved,
        # so the same key must be able to save it later.
        form_keys.release_form_key(user_id, key)
    db.session.commit()
    return response


def _form_expired(error: CSRFError) -> Any:
    """A post with an expired or missing token: show the form again as typed."""
    db.session.rollback()
    endpoint = request.endpoint
    if request.method == "POST" and form_page_endpoint(endpoint) and endpoint:
        # Shown again as typed, and nothing stored: a post with a bad token may be forged.
        g.form_expired = True
        try:
            view = current_app.view_functions[endpoint]
            page = current_app.make_response(view(**(request.view_args or {})))  # type: ignore[arg-type]
        except HTTPException:
            page = None
        db.session.rollback()
        if page is not None and page.status_code == 200:
            page.status_code = 400  # shown again, not saved
            return page
    return render_template("errors/form_expired.html"), 400


def _keep_as_draft(user_id: int) -> bool:
    """Store what was posted as the account's draft of this form; True when it was kept."""
    adapter = current_app.url_map.bind("")
    try:
        _endpoint, path_args = adapter.match(request.path, method="GET")
    except HTTPException:
        return False
    try:
        patient_id = patient_of_path(path_args, user_id)
        save_draft(user_id, request.path, draft_fields(request.form), patient_id)
        db.session.commit()
    except DraftTooLarge:
        db.session.rollback()
        return False
    return True


def keep_post_for(user_id: int | None) -> str | None:
    """A clinical form posted to a login that ended or is locked: keep it as that account's
    draft; the address that offers it back, or None when nothing was kept.

    Called by the login gate. The post must carry a CSRF token this app signed for the
    browser (its age does not matter here): a post from another site keeps nothing.
    """
    if request.method != "POST" or user_id is None or not draftable_endpoint(request.endpoint):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    try:
        validate_csrf(request.form.get("csrf_token"), time_limit=24 * 3600)
    except Exception:
        return None
    g.acting_user_id = user_id
    if not _keep_as_draft(user_id):
        return None
    return restore_url(request.path)


def keep_post_of_ended_login(user_id: int | None) -> Response | None:
    """A form posted after its login ended: keep it for that account, then ask to log in."""
    kept = keep_post_for(user_id)
    if kept is None:
        return None
    flash(
        _(
            "Your session ended before the form was saved. What you typed is kept: "
            "log in again to check it and save it."
        ),
        "warning",
    )
    return redirect(url_for("auth.login", next=kept))


@dataclass(frozen=True)
class FormNotice:
    """What the page says above a form about the state of the typed text."""

    kind: str  # "expired", "restored" or "offer"
    saved_at: datetime | None = None
    restore_url: str = ""
    path: str = ""

    @property
    def kept_at(self) -> str:
        """When the draft was kept, in the practice's zone: "1 Dec 2026, 10:30"."""
        if self.saved_at is None:
            return ""
        return f"{format_date(self.saved_at, 'medium')}, {format_time(self.saved_at, 'short')}"


def form_notice() -> FormNotice | None:
    """The banner for this page's form: shown again after expiry, restored, or a draft kept."""
    if g.get("form_expired"):
        return FormNotice("expired")
    restored = g.get("draft_restored")
    if restored is not None:
        return FormNotice("restored", saved_at=restored.saved_at)
    form = g.get("draft_form")
    if form is None or request.method != "GET" or not current_user.is_authenticated:
        return None
    saved_at = draft_saved_at(int(current_user.id), request.path)
    if saved_at is None:
        return None
    return FormNotice(
        "offer", saved_at=saved_at, restore_url=restore_url(request.path), path=request.path
    )


def unsent_text_page() -> tuple[str, int] | None:
    """A clinical form posted without a login that can be traced: give the text back to copy.

    When the login is gone without a trace (logged out in another tab, ended by a change to
    the account), nothing can be kept for anyone; the page shows only what this browser
    itself just sent, so the text is not lost.
    """
    if request.method != "POST" or not draftable_endpoint(request.endpoint):
        return None
    texts = [
        (name.replace("_", " ").replace("-", " ").capitalize(), value)
        for name, values in draft_fields(request.form).items()
        for value in values
        if not _CHOICE_OR_NUMBER.fullmatch(value.strip())
    ]
    if not texts:
        return None
    return render_template("errors/unsent_text.html", texts=texts), 401


def init_form_guard(app: Flask) -> None:
    """Install the claim before each post, the settling after it, and the expired-form page."""
    app.before_request(_claim)
    app.after_request(_settle)
    app.register_error_handler(CSRFError, _form_expired)
    app.jinja_env.globals["form_notice"] = form_notice
    with app.app_context():
        session_class = type(db.session())
        if not event.contains(session_class, "after_commit", _note_commit):
            event.listen(session_class, "after_commit", _note_commit)
