"""Flash messages of a login live on the server, not in the cookie (finding 10, promise 14).

Flask keeps flashes in the session cookie, which is signed but readable: "Wilhelmina … was
added to your caseload" travelled in it. For a logged-in request the messages waiting in the
login's server-side row are put into the session for this request only; what is still
waiting when the response goes out (a redirect shows nothing) is written back to the row, and
the cookie leaves without it. An anonymous visitor's messages ("You have been logged out")
name no patient and stay in the cookie.
"""

from __future__ import annotations

import json

from flask import Flask, Response, g, request, session
from sqlalchemy import update

from therapy.access.gate import current_login
from therapy.extensions import db
from therapy.models import UserSession

FLASHES_KEY = "_flashes"  # Flask's own key in the session
_LOADED = "server_flashes_loaded"


def _load(raw: str | None) -> list[list[str]]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return [list(item) for item in value if isinstance(item, list) and len(item) == 2]


def bring_flashes() -> None:
    """Put the login's waiting messages where get_flashed_messages looks for them."""
    if request.endpoint == "static":
        return
    record = current_login().record
    if record is None or not record.flashes:
        return
    session[FLASHES_KEY] = _load(record.flashes) + list(session.get(FLASHES_KEY, []))
    g.setdefault(_LOADED, record.id)


def _waiting() -> tuple[str, str | None, list[list[str]] | None] | None:
    """The login row's id, the row its messages were brought from and what is still to be
    shown; None when there is nothing to write."""
    if request.endpoint == "static":
        return None
    record = current_login().record
    waiting = session.get(FLASHES_KEY) if record is not None else None
    loaded_from = g.pop(_LOADED, None)
    if record is None:
        return None
    if waiting:
        session.pop(FLASHES_KEY, None)
    if not waiting and loaded_from is None:
        return None
    return record.id, loaded_from, waiting


def _write(record_id: str, loaded_from: str | None, waiting: list[list[str]] | None) -> None:
    # A statement, not the ORM: the row may have been ended by this very request.
    if loaded_from is not None and loaded_from != record_id:
        db.session.execute(
            update(UserSession).where(UserSession.id == loaded_from).values(flashes=None)
        )
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == record_id)
        .values(flashes=json.dumps([list(item) for item in waiting]) if waiting else None)
    )


def store_flashes() -> bool:
    """Write what was not shown to the login's row, in the current transaction (the caller
    commits); True when something was written. Called by a save just before its one commit,
    so the messages travel in it, and by keep_flashes after every other response hook."""
    pending = _waiting()
    if pending is not None:
        _write(*pending)
    return pending is not None


def keep_flashes(response: Response) -> Response:
    """Move what was not shown back to the server; the cookie carries no message."""
    pending = _waiting()
    if pending is not None:
        # What the view did not commit is not to be kept (a refused form's claimed key, say):
        # the messages' write must not commit it on the view's behalf.
        db.session.rollback()
        _write(*pending)
        db.session.commit()
    return response


def init_flashes(app: Flask) -> None:
    """Run after the login lookup, and after every other response hook."""
    app.before_request(bring_flashes)
    # after_request hooks run in reverse order of registration: registered first, run last.
    app.after_request_funcs.setdefault(None, []).insert(0, keep_flashes)
