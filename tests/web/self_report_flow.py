"""A patient answering as a browser would: open a link, give the date of birth, step through."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import csrf_token_from

# Shorthand as in tests/web/phq15_forms.py: 0/1/2, n = not applicable, x = left out.
RADIO = {"0": "0", "1": "1", "2": "2", "n": "na", "x": ""}
LINK = re.compile(r"/q/([A-Za-z0-9_-]{40,})")


def phq15_radios(codes: str) -> dict[str, str]:
    """What a browser posts for fifteen answers (a left-out item posts nothing at all)."""
    codes = codes.replace(" ", "")
    assert len(codes) == 15, codes
    return {f"item_{n:02d}": RADIO[c] for n, c in enumerate(codes, start=1) if c != "x"}


def ask_url(patient_id: int, episode_id: int) -> str:
    return f"/patients/{patient_id}/episodes/{episode_id}/self-report/new"


def ask(therapist: FlaskClient, patient_id: int, episode_id: int, **fields: str) -> TestResponse:
    """The therapist's request form, posted (a link's page is the answer to the post)."""
    page = therapist.get(ask_url(patient_id, episode_id))
    assert page.status_code == 200, page.text
    data = {
        "csrf_token": csrf_token_from(page.text),
        "phq15_timepoint": "",
        "phq15_session_id": "",
        "checkin_session_id": "",
        "channel": "link",
        "language": "en_GB",
        "valid_days": "7",
        **fields,
    }
    return therapist.post(ask_url(patient_id, episode_id), data=data)


def token_from(page: TestResponse) -> str:
    """The link's token, read from the page shown once."""
    match = LINK.search(page.text)
    assert match, page.text
    return match.group(1)


def open_link(patient: FlaskClient, token: str, birth_date: str) -> TestResponse:
    """Open a personal link and give a date of birth."""
    page = patient.get(f"/q/{token}")
    assert page.status_code == 200, page.text
    return patient.post(
        f"/q/{token}",
        data={"csrf_token": csrf_token_from(page.text), "birth_date": birth_date},
    )


def post_step(
    patient: FlaskClient, path: str, data: dict[str, str], *, back: bool = False
) -> TestResponse:
    """Post one questionnaire page as shown (its CSRF token and form key included)."""
    page = patient.get(path)
    assert page.status_code == 200, page.text
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', page.text)
    button = {"back": "Back"} if back else {"submit": "Next"}
    return patient.post(
        path,
        data={
            "csrf_token": csrf_token_from(page.text),
            "form_key": key.group(1) if key else "",
            **data,
            **button,
        },
    )


def send(patient: FlaskClient) -> TestResponse:
    """Send every answer from the review page."""
    page = patient.get("/answer/review")
    assert page.status_code == 200, page.text
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', page.text)
    return patient.post(
        "/answer/submit",
        data={"csrf_token": csrf_token_from(page.text), "form_key": key.group(1) if key else ""},
    )
