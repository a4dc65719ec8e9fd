"""Template-injection strings typed into any field are shown literally, never evaluated."""

from __future__ import annotations

from flask import Flask

from tests.factories import make_gp, make_user
from tests.web.access import SECOND_STEP_ENDPOINTS, build_url, methods, protected_rules
from tests.web.stored_text import fill_fields, text_fields
from tests.web.test_access_matrix import _world
from therapy.extensions import db
from therapy.models import Patient
from therapy.models.enums import Role

PROBES = ("{{7*7}}", "{{ 1234*5678 }}", "{% raw %}x{% endraw %}", "${1234*5678}", "#{1234*5678}")
EVALUATED = "7006652"  # 1234 × 5678


def test_template_syntax_in_stored_text_is_shown_literally(app: Flask, login) -> None:
    owner = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    ids = _world(owner).ids  # the access matrix's world: every URL argument it knows
    db.session.get(Patient, ids["patient_id"]).gp = make_gp()
    db.session.commit()
    owner_id = owner.id
    clients = {"owner": login(owner), "admin": login(admin, test_client=app.test_client())}
    probes = " ".join(PROBES)
    fill_fields(text_fields(len(probes) + 8), lambda i: probes, owner_id)
    checked = 0
    for rule in protected_rules(app):
        if "GET" not in methods(rule):
            continue
        if rule.endpoint in SECOND_STEP_ENDPOINTS or rule.endpoint == "self_report.handover_return":
            continue  # the hand-over's way back exists only on a handed-over device
        client = clients["admin" if rule.endpoint.startswith("admin.") else "owner"]
        page = client.get(build_url(rule, ids))
        assert page.status_code == 200, rule.rule
        if page.mimetype != "text/html":
            continue  # a PDF or CSV export is checked by its own tests
        assert EVALUATED not in page.text and ">49<" not in page.text, rule.rule
        assert "{{7*7}}" in page.text, f"{rule.rule} shows no stored text"
        checked += 1
    assert checked >= 5
