"""The end of a form's save: one durable commit, then the redirect (Post/Redirect/Get).

A save is one commit: the saved rows with their audit events, the claim of the form's key
and the removal of its draft (therapy.forms.guard, before the view ran), where the save leads
(for a resent post of the same form) and the messages the next page shows (therapy.access.
flashes). Committing the save first and the rest after it would make two or three fsyncs of
one save, and a crash between them would leave a saved form whose key does not say where it
went.
"""

from __future__ import annotations

from flask import redirect
from werkzeug.wrappers import Response

from therapy.access.flashes import store_flashes
from therapy.extensions import db
from therapy.forms.guard import record_claimed_result


def commit_save(location: str) -> Response:
    """Commit the save with its form key's result and its messages, once; redirect there.

    Flash the messages before calling this: they are written in the same transaction.
    """
    response = redirect(location)
    record_claimed_result(response.location or location)
    store_flashes()
    db.session.commit()
    return response
