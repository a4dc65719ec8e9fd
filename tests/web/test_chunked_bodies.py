"""A body over the limit is refused whatever its framing (finding 8 of the outside test).

Sent to a real server (Werkzeug's, which like gunicorn decodes chunked bodies): a
Content-Length body and a chunked one of the same size get the same 413 page, and nothing is
saved; a chunked body within the limit is read whole.
"""

from __future__ import annotations

import http.client
import re
import time
from urllib.parse import urlsplit

from sqlalchemy import func, select

from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.web.clinical import patient_data
from therapy.extensions import db
from therapy.models import Patient

MiB = 1024 * 1024


def _post(live_server: str, path: str, body: bytes, cookie: str, *, chunked: bool):
    address = urlsplit(live_server)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    headers = {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": live_server + path,
    }
    if chunked:
        pieces = (body[i : i + 256 * 1024] for i in range(0, len(body), 256 * 1024))
        connection.request("POST", path, body=pieces, headers=headers, encode_chunked=True)
    else:
        connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, text


def _form_body(token: str, notes_size: int) -> bytes:
    from urllib.parse import urlencode

    data = patient_data()
    data["csrf_token"] = token
    data["family_name"] = "Chunked"
    body = urlencode(data, doseq=True).encode()
    return body + b"&padding=" + b"x" * notes_size


def _title(html: str) -> str:
    match = re.search(r"<h1>([^<]*)</h1>", html)
    return match.group(1) if match else ""


def _patients() -> int:
    count = int(db.session.scalar(select(func.count(Patient.id))) or 0)
    db.session.rollback()  # the server's writes must not wait for this test's transaction
    return count


def test_a_chunked_body_over_the_limit_gets_the_413_page(app, login, live_server) -> None:
    therapist = make_user()
    client = login(therapist)
    token = csrf_token_from(client.get("/patients/new").text)
    cookie = next(c for c in client._cookies.values() if c.key == "therapy_session")
    header = f"therapy_session={cookie.value}"
    big = _form_body(token, 5 * MiB + 512 * 1024)
    # With a Content-Length (in process: the development server would not read the body to
    # tell the client, which would still be sending), and chunked through the real server.
    framed = client.post(
        "/patients/new", data=big, content_type="application/x-www-form-urlencoded"
    )
    started = time.perf_counter()
    status, text = _post(live_server, "/patients/new", big, header, chunked=True)
    assert time.perf_counter() - started < 20
    assert (framed.status_code, _title(framed.text)) == (413, "Too much to send at once")
    assert (status, _title(text)) == (413, "Too much to send at once")
    assert _patients() == 0

    # Within the limit, a chunked body is read whole: the patient is saved.
    small = _form_body(token, 1000)
    status, _text = _post(live_server, "/patients/new", small, header, chunked=True)
    assert status == 302
    assert _patients() == 1
