"""A caseload search's terms reach no Referer (finding 2, promise 14).

The outside test found a searched name in the access log twice: in the request line (the
gunicorn format drops the query, tests/unit/test_access_log.py) and in the Referer of the next
request. A page asked for with a query therefore sends only its origin as Referer, which the
CSRF check over HTTPS still accepts.
"""

from __future__ import annotations

from flask import Flask

from tests.conftest import csrf_token_from
from tests.factories import make_patient, make_user
from therapy.extensions import db


def test_a_search_page_gives_what_follows_only_its_origin(app: Flask, client, login) -> None:
    therapist = make_user()
    make_patient(therapist, given_name="Wilhelmina", family_name="Zwart")
    db.session.commit()
    login(therapist)

    found = client.get("/?q=Zwart")
    assert "Zwart" in found.text  # the search itself still works
    assert found.headers["Referrer-Policy"] == "strict-origin"  # origin only, never the query
    assert client.get("/").headers["Referrer-Policy"] == "same-origin"
    assert client.get("/?page=1").headers["Referrer-Policy"] == "strict-origin"


def test_a_form_posted_from_a_search_page_passes_the_https_check(app: Flask, login) -> None:
    """What a browser sends from such a page over HTTPS: the origin alone as Referer."""
    app.config["WTF_CSRF_SSL_STRICT"] = True  # as in production (HTTPS on)
    therapist = make_user()
    db.session.commit()
    secure = login(therapist, test_client=app.test_client())
    page = secure.get("/?q=Zwart", base_url="https://localhost")
    assert page.headers["Referrer-Policy"] == "strict-origin"
    token = csrf_token_from(page.text)
    origin_only = secure.post(
        "/logout",
        data={"csrf_token": token},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/"},
    )
    assert origin_only.status_code == 302 and "/login" in origin_only.headers["Location"]
    # Without any Referer (what no-referrer would give) the same check refuses the form.
    login(therapist, test_client=secure)
    page = secure.get("/", base_url="https://localhost")
    refused = secure.post(
        "/logout", data={"csrf_token": csrf_token_from(page.text)}, base_url="https://localhost"
    )
    assert refused.status_code == 400
