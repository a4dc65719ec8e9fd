"""Shared bench helpers: a logged-in test client, query counting and latency statistics."""

from __future__ import annotations

import gc
import html
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from therapy.access.gate import SESSION_KEY
from therapy.extensions import db
from therapy.models import User
from therapy.services.accounts import login_sessions

INPUT = re.compile(r"<(input|textarea)\b([^>]*)>", re.S)
SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S)
OPTION = re.compile(r"<option\b([^>]*)>", re.S)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
# What a therapist typically fills in after a session (the rest keeps the form's defaults).
TYPICAL_SESSION = {
    "education-minutes": "10",
    "body-minutes": "15",
    "cognitive-minutes": "10",
    "activating-minutes": "10",
    "symptom_course": "A little better; slept well twice this week.",
    "scebs_somatic": "Neck tension lower.",
    "home_exercises": "Breathing exercise twice daily; walk 20 minutes.",
    "alliance_bond": "8",
    "alliance_goals": "8",
    "alliance_tasks": "7",
}


def logged_in_client(app: Flask, user_id: int) -> FlaskClient:
    """A client with a verified server-side session, as after password and code.

    The bench measures pages, not the login: it opens the session the way the code step does
    instead of typing a one-time code.
    """
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        token = login_sessions.start_session(user, verified=True, client_address="127.0.0.1")
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as cookie_session:
        cookie_session[SESSION_KEY] = token
    return client


class QueryCount:
    """Counts statements on the app's engine while attached."""

    def __init__(self, app: Flask) -> None:
        with app.app_context():
            self.engine = db.engine
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: object) -> None:
        self.count += 1

    def close(self) -> None:
        """Stop counting."""
        event.remove(self.engine, "before_cursor_execute", self._seen)


@dataclass(frozen=True)
class Timing:
    """Latency figures of repeated calls, in milliseconds."""

    p50: float
    p95: float
    calls: int

    def line(self) -> str:
        """The figures as printed."""
        return f"p50 {self.p50:7.2f} ms  p95 {self.p95:7.2f} ms"


def measure(
    call: Callable[[], object],
    *,
    runs: int,
    warmup: int = 5,
    between: Callable[[], object] | None = None,
) -> Timing:
    """Time a call repeatedly after a warm-up; garbage is collected before each run.

    `between`, when given, runs before each call, untimed (another user's work, say).
    """
    for _ in range(warmup):
        if between is not None:
            between()
        call()
    samples = []
    for _ in range(runs):
        if between is not None:
            between()
        gc.collect()
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return Timing(p50=statistics.median(samples), p95=p95, calls=runs)


def target(what: str, measured: float, op: str, limit: float, unit: str = "") -> bool:
    """Print one target line; True when it is met."""
    met = measured <= limit if op == "<=" else measured >= limit
    state = "met" if met else "MISSED"
    print(f"target: {what} {measured:.2f}{unit} (goal {op} {limit:g}{unit}) {state}")
    return met


def form_fields(page: str) -> dict[str, str]:
    """The values a browser would send for the first form of a page, untouched."""
    fields: dict[str, str] = {}
    for _tag, raw in INPUT.findall(page):
        attrs = dict(ATTRIBUTE.findall(raw))
        name = attrs.get("name")
        kind = attrs.get("type", "text")
        if not name or kind in ("submit", "button"):
            continue
        if kind in ("radio", "checkbox") and "checked" not in raw:
            continue
        fields.setdefault(name, html.unescape(attrs.get("value", "")))
    for raw, body in SELECT.findall(page):
        name = dict(ATTRIBUTE.findall(raw)).get("name")
        options = [(dict(ATTRIBUTE.findall(o)), "selected" in o) for o in OPTION.findall(body)]
        chosen = [attrs for attrs, selected in options if selected] or [a for a, _ in options]
        if name and chosen:
            fields.setdefault(name, html.unescape(chosen[0].get("value", "")))
    return fields
