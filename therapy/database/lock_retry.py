"""A request that met SQLite's "database is locked" runs again, instead of ending in a 500.

Write transactions begin IMMEDIATE and wait up to the busy timeout for the lock, so for them
this happens only when another worker held it longer than that. A read's first attempt
begins deferred (therapy.database.engine.reads_first) and meets it at once when it writes after
another worker's commit; it runs again at once, IMMEDIATE. The failed attempt was rolled back
whole (its audit events too), so running the request again is safe; after the last attempt
the ordinary error page is shown. PostgreSQL never raises it: there writers wait on rows.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, g, request, session
from flask.globals import request_ctx

from therapy.access.flashes import FLASHES_KEY
from therapy.database.engine import IMMEDIATE_ENVIRON_KEY, is_lock_timeout, reads_first
from therapy.extensions import db

ATTEMPTS = 3
_PAUSE_SECONDS = 0.25
_LOCKED_FLAG = "database_locked"


def note_lock_timeout(error: BaseException | None) -> None:
    """Called by the 500 handler: mark this attempt as one to run again."""
    if error is not None and is_lock_timeout(error):
        g.setdefault(_LOCKED_FLAG, True)


class LockRetryingFlask(Flask):
    """Flask whose requests are attempted again after a lock timeout."""

    def full_dispatch_request(self) -> Response:
        """Run the request; after a lock timeout, roll back and run it again (a few times)."""
        # The messages waiting as the request came in: an attempt run again starts from them,
        # not from what the first attempt flashed or brought from the login's row.
        arrived = list(session.get(FLASHES_KEY, []))
        for attempt in range(1, ATTEMPTS + 1):
            g.pop(_LOCKED_FLAG, None)
            try:
                response = super().full_dispatch_request()
            except Exception as error:  # raised as is when PROPAGATE_EXCEPTIONS is on
                if attempt == ATTEMPTS or not is_lock_timeout(error):
                    raise
            else:
                if attempt == ATTEMPTS or not g.pop(_LOCKED_FLAG, False):
                    return response
            self._start_over(attempt)
            session[FLASHES_KEY] = list(arrived)
            if not arrived:
                session.pop(FLASHES_KEY, None)
            request_ctx.flashes = None  # Flask's per-request copy of the shown messages
        raise AssertionError("unreachable")  # pragma: no cover

    def _start_over(self, attempt: int) -> None:
        db.session.rollback()
        # Nothing this attempt noted may leak into the next (login lookup, claimed key, ...).
        state: dict[str, Any] = vars(g)
        state.clear()
        if reads_first():
            # A read that wrote after another worker's commit: no waiting was involved, so
            # run it again at once, holding the write lock from the start this time.
            request.environ[IMMEDIATE_ENVIRON_KEY] = True
            self.logger.info("a read met another worker's commit; running it again at once")
            return
        self.logger.warning("database locked; running the request again (%d)", attempt)
        time.sleep(_PAUSE_SECONDS * attempt)
