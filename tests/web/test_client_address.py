"""The audit trail and the login sessions name the client, not the proxy (NEN 7513, finding 1).

Behind TRUSTED_PROXIES proxies the address comes from X-Forwarded-For; with the default 0 a
direct connection's header is never believed (anyone can send one).
"""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import IsolatedClient, _make_app, csrf_token_from, totp_code_for
from tests.factories import PASSWORD, make_user
from therapy.extensions import db
from therapy.models import AuditEvent, UserSession

PROXY = "127.0.0.1"
CLIENT = "203.0.113.7"
FORGED = "198.51.100.9"


def _log_in(client: FlaskClient, user) -> None:
    page = client.get("/login")
    client.post(
        "/login",
        data={"csrf_token": csrf_token_from(page.text), "email": user.email, "password": PASSWORD},
    )
    page = client.get("/login/code")
    response = client.post(
        "/login/code",
        data={"csrf_token": csrf_token_from(page.text), "code": totp_code_for(user)},
    )
    assert response.status_code == 302


def _addresses() -> set[str]:
    db.session.expire_all()
    return {
        *db.session.scalars(select(AuditEvent.client_address)),
        *db.session.scalars(select(UserSession.client_address)),
    }


def test_behind_one_trusted_proxy_the_client_address_is_recorded(
    database_url: str, tmp_path: Path
) -> None:
    proxied = _make_app(database_url, tmp_path / "proxied", TRUSTED_PROXIES=1)
    proxied.test_client_class = IsolatedClient
    with proxied.app_context():
        user = make_user()
        db.session.commit()
        client = proxied.test_client()
        # What nginx sends: the client's own header (forged) followed by the address it saw.
        client.environ_base.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}")
        _log_in(client, user)
        assert _addresses() == {CLIENT}
        db.session.remove()
        db.engine.dispose()


def test_without_trusted_proxies_a_forwarded_header_is_ignored(app, client) -> None:
    user = make_user()
    db.session.commit()
    client.environ_base.update(REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR=FORGED)
    _log_in(client, user)
    assert _addresses() == {"192.0.2.5"}
