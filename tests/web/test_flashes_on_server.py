"""No patient data in the session cookie: a login's flash messages wait on the server.

Finding 10 of the outside test: "Wilhelmina … was added to your caseload" travelled in the
signed but readable cookie.
"""

from __future__ import annotations

import base64
import zlib

from flask.testing import FlaskClient

from tests.factories import make_user
from tests.web.clinical import patient_data, post_form


def _cookie_text(client: FlaskClient) -> str:
    """What anyone holding the cookie can read: its payload, decoded without the key."""
    cookie = next(c for c in client._cookies.values() if c.key == "therapy_session")
    value = cookie.value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode("utf-8")


def test_the_added_patients_name_never_travels_in_the_cookie(app, client, login) -> None:
    login(make_user())
    saved = post_form(
        client, "/patients/new", patient_data(given_name="Wilhelmina", family_name="Zwart")
    )
    assert saved.status_code == 302
    assert "Wilhelmina" not in _cookie_text(client) and "Zwart" not in _cookie_text(client)
    assert "_flashes" not in _cookie_text(client)

    shown = client.get(saved.headers["Location"])
    assert "Wilhelmina Zwart was added to your caseload" in shown.text
    assert "Wilhelmina" not in _cookie_text(client)
    # Shown once, as a flash is.
    assert "was added to your caseload" not in client.get(saved.headers["Location"]).text


def test_a_message_waits_through_a_redirect_and_for_its_own_login(app, login) -> None:
    user = make_user()
    first = login(user, test_client=app.test_client())
    second = login(user, test_client=app.test_client())
    saved = post_form(first, "/patients/new", patient_data(given_name="Wilhelmina"))
    # The other login of the same account is not shown this browser's message.
    assert "was added to your caseload" not in second.get("/").text
    page = first.get(saved.headers["Location"])
    assert "Wilhelmina van den Berg was added to your caseload" in page.text
