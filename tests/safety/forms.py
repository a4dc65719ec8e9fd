"""Helpers for the form-safety tests: a rendered form's hidden fields, posting it as a browser."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

from tests.conftest import csrf_token_from

_FORM_KEY = re.compile(r'name="form_key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="form_key"')


def form_key_from(html: str) -> str:
    """The one-time key of the first form on a page that has one."""
    match = _FORM_KEY.search(html)
    assert match, "page has no form key"
    return match.group(1) or match.group(2)


def rendered_form(client: FlaskClient, url: str) -> dict[str, str]:
    """The hidden tokens a browser would send back with the form at `url`."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return {"csrf_token": csrf_token_from(page.text), "form_key": form_key_from(page.text)}


def post_as_browser(client: FlaskClient, url: str, data: dict[str, Any], tokens: dict[str, str]):
    """Post the form with the tokens it was rendered with, as the browser would."""
    return client.post(url, data={**tokens, **data})
