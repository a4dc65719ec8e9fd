"""Helpers for tests generated from the app's URL map: every route, every kind of visitor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import Rule

from tests.conftest import csrf_token_from
from therapy.extensions import db

# The exemptions of the login gate, written out here rather than imported from the code under
# test: test_the_login_gate_exempts_exactly_these fails when therapy/access/gate.py grows one,
# and every other endpoint is checked as protected whatever that file says.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})
SECOND_STEP_ENDPOINTS = frozenset({"auth.two_factor", "auth.enrol", "auth.logout"})
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.password", "auth.logout", "auth.keep_alive"})
# The patient's own pages: reached without a login (by a checked personal link) or on a handed-
# over device; tests/web/test_self_report_access.py walks them with their own visitors.
PATIENT_ENDPOINTS = frozenset(
    {
        "self_report.link_open",
        "self_report.phq15",
        "self_report.psfs",
        "self_report.checkin",
        "self_report.review",
        "self_report.submit",
        "self_report.thanks",
        "self_report.language",
    }
)
HANDOVER_ENDPOINTS = PATIENT_ENDPOINTS | {"self_report.handover_return", "static"}
# What a locked login (the screen lock) may reach.
LOCKED_ENDPOINTS = frozenset({"auth.unlock", "auth.keep_alive", "auth.logout"})
# Blueprints whose pages hold patient data; a route added to one is covered automatically.
ADMIN_BLUEPRINT = "admin"


@dataclass(frozen=True)
class World:
    """The ids of one therapist's objects, by URL argument name."""

    ids: dict[str, int | str]
    secrets: tuple[str, ...]  # strings that only this therapist may ever see
    private: tuple[str, ...] = ()  # the same, but not about a patient (not in the PDFs)


def protected_rules(app: Flask) -> list[Rule]:
    """Every route except the public ones and the patient's own, in a stable order."""
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC_ENDPOINTS and rule.endpoint not in PATIENT_ENDPOINTS
    ]
    return sorted(rules, key=lambda rule: (rule.rule, rule.endpoint))


def methods(rule: Rule) -> list[str]:
    """The methods a route answers, without the automatic HEAD and OPTIONS."""
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def build_url(rule: Rule, ids: dict[str, int | str]) -> str:
    """The URL of a route with each argument taken from the given ids."""
    unknown = set(rule.arguments) - set(ids)
    if unknown:
        pytest.fail(
            f"route {rule.rule} has arguments {sorted(unknown)} the access matrix does not know: "
            "add them to the worlds in tests/web/test_access_matrix.py"
        )
    return url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments})


def is_clinical(rule: Rule) -> bool:
    """Routes that show or change a particular patient's data."""
    return "patient_id" in rule.arguments


# URL arguments naming a row of one account rather than of a patient.
OWN_ROW_ARGUMENTS = frozenset({"snippet_id"})


def is_own_row(rule: Rule) -> bool:
    """Routes that show or change a row belonging to the logged-in account (not a patient's)."""
    return bool(OWN_ROW_ARGUMENTS & set(rule.arguments))


def csrf_token_for(client: FlaskClient) -> str:
    """A valid CSRF token for this client, from the first page it may see that has one."""
    for path in ("/account/password", "/login/code", "/login"):
        response = client.get(path)
        if response.status_code == 200:
            return csrf_token_from(response.text)
    return ""


def row_counts() -> dict[str, int]:
    """Rows per table, to prove a refused request changed nothing."""
    counts = {}
    for table in db.metadata.sorted_tables:
        counts[table.name] = db.session.scalar(select(func.count()).select_from(table)) or 0
    db.session.rollback()
    return counts
