"""Filling in the PHQ-15 form as a browser would, and reading the results page back."""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import csrf_token_from

# Test shorthand, one character per item: 0/1/2, n = not applicable, x = not answered.
RADIO = {"0": "0", "1": "1", "2": "2", "n": "na", "x": ""}


def practice_today() -> date:
    """Today in the practice's time zone (the app's default), as the form checks it."""
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def radios(codes: str) -> dict[str, str]:
    """The fifteen radio values a browser posts for the given shorthand."""
    codes = codes.replace(" ", "")
    assert len(codes) == 15, codes
    return {f"item_{n:02d}": RADIO[code] for n, code in enumerate(codes, start=1)}


def index_url(patient_id: int, episode_id: int) -> str:
    return f"/patients/{patient_id}/episodes/{episode_id}/phq15"


def new_url(patient_id: int, episode_id: int) -> str:
    return index_url(patient_id, episode_id) + "/new"


def post_phq15(
    client: FlaskClient,
    patient_id: int,
    episode_id: int,
    codes: str | None = None,
    *,
    timepoint: str = "baseline",
    day: date | str | None = None,
    session_id: str = "",
    note: str = "",
    quick: str = "",
    extra: dict[str, str] | None = None,
) -> TestResponse:
    """Open the form (for its CSRF token) and post it."""
    url = new_url(patient_id, episode_id)
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    day = practice_today() if day is None else day
    data = {
        "csrf_token": csrf_token_from(page.text),
        "timepoint": timepoint,
        "administered_on": day if isinstance(day, str) else day.isoformat(),
        "session_id": session_id,
        "timepoint_note": note,
        "quick": quick,
        **(radios(codes) if codes is not None else {}),
        **(extra or {}),
    }
    return client.post(url, data=data)


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def table_rows(page: str) -> list[str]:
    """The rows of the administrations table as text, oldest first."""
    table = re.search(r'<table class="table phq15-table">(.*?)</table>', page, re.S)
    assert table, "no administrations table"
    body = table.group(1).split("<tbody>", 1)[1]
    return [text_of(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def checked_value(page: str, name: str) -> str | None:
    """The value of the checked radio of a group, as the page renders it."""
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', page):
        if re.search(r"\schecked[\s>=/]", tag + " "):
            return html.unescape(re.search(r'value="([^"]*)"', tag).group(1))
    return None


def field_value(page: str, field_id: str) -> str | None:
    """The value attribute of an input, as the page renders it."""
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', page)
    if tag is None:
        return None
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""
