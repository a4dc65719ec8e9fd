"""The access matrix, generated from app.url_map: a new route is covered or this test fails.

Actors: anonymous, password-only (half logged in), another therapist, the practice
administrator and the owning therapist, on every route and method, with nested ids of the
owner's other patient and of another therapist's patient mixed in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import figures
from tests.conftest import login_password_only
from tests.factories import (
    PASSWORD,
    make_appointment,
    make_full_episode,
    make_gp,
    make_patient,
    make_snippet,
    make_user,
)
from tests.web.access import (
    ADMIN_BLUEPRINT,
    HANDOVER_ENDPOINTS,
    LOCKED_ENDPOINTS,
    PASSWORD_CHANGE_ENDPOINTS,
    PATIENT_ENDPOINTS,
    PUBLIC_ENDPOINTS,
    SECOND_STEP_ENDPOINTS,
    World,
    build_url,
    csrf_token_for,
    is_clinical,
    is_own_row,
    methods,
    protected_rules,
    row_counts,
)
from tests.web.pdf_text import page_texts
from therapy.access import gate as security
from therapy.extensions import db
from therapy.models import ExportJob
from therapy.models.enums import (
    ExportKind,
    ExportStatus,
    Phq15Timepoint,
    Role,
    SelfReportChannel,
)
from therapy.models.types import utcnow
from therapy.services.self_report.requests import Asked, create_request


def _world(therapist) -> World:
    gp = make_gp()  # shared by the practice: any therapist may correct it
    patient = make_patient(therapist, gp_id=gp.id)
    episode = make_full_episode(patient)
    appointment = make_appointment(episode)
    colleague = make_user()  # an account the administrator's routes may act on
    snippet = make_snippet(therapist, text=f"Phrase of {therapist.email} only")
    job = ExportJob(
        kind=ExportKind.RESEARCH,
        requested_by_id=colleague.id,
        status=ExportStatus.DONE,
        file_name="gone.zip",
        finished_at=utcnow(),
    )
    db.session.add(job)
    db.session.flush()
    request, token = create_request(
        episode,
        Asked(phq15_timepoint=Phq15Timepoint.END_OF_TREATMENT),
        channel=SelfReportChannel.LINK,
        language="en_GB",
        created_by_id=therapist.id,
        now=utcnow(),
    )
    return World(
        ids={
            "patient_id": patient.id,
            "episode_id": episode.id,
            "session_id": episode.sessions[0].id,
            "goal_id": episode.goals[0].id,
            "entry_id": episode.formulation_entries[0].id,
            "administration_id": episode.phq15_administrations[0].id,
            "checkin_id": episode.sessions[0].alliance.id,
            "rating_id": episode.goals[0].ratings[0].id,
            "document_id": episode.documents[0].id,
            "user_id": colleague.id,
            "job_id": job.id,
            "request_id": request.id,
            "token": str(token),
            "appointment_id": appointment.id,
            "snippet_id": snippet.id,
            "gp_id": gp.id,
        },
        secrets=(patient.family_name, patient.record_number),
        private=(snippet.text,),
    )


@pytest.fixture
def worlds(app: Flask):
    owner = make_user()
    other = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    half = make_user()
    mine, second_of_mine, theirs = _world(owner), _world(owner), _world(other)
    db.session.commit()
    return owner, other, admin, half, mine, second_of_mine, theirs


# Routes that name the clinical page they act on in the posted form, not in their URL (a
# draft names its form). They are clinical: the page named is built from each world's ids.
BODY_ADDRESSED = {"drafts.save": "_draft_path", "drafts.discard": "path"}
NAMED_PAGE = "sessions.edit"


def _post(client: FlaskClient, url: str, extra: dict[str, str] | None = None) -> int:
    data = {"csrf_token": csrf_token_for(client), **(extra or {})}
    return client.post(url, data=data).status_code


def _named_page(rule, ids: dict[str, int]) -> dict[str, str]:
    field = BODY_ADDRESSED.get(rule.endpoint)
    if field is None:
        return {}
    page = next(r for r in rule.map.iter_rules(NAMED_PAGE))
    return {field: urlsplit(build_url(page, ids)).path}


def test_access_matrix(app: Flask, login, worlds) -> None:
    owner, other, admin, half, mine, second_of_mine, theirs = worlds
    anonymous = app.test_client()
    password_only = login_password_only(app.test_client(), half, PASSWORD)
    as_owner = login(owner, test_client=app.test_client())
    as_other = login(other, test_client=app.test_client())
    as_admin = login(admin, test_client=app.test_client())
    rules = protected_rules(app)
    requests = leaks = writes = 0
    owner_pdfs = 0
    problems: list[str] = []

    def check(
        client: FlaskClient,
        method: str,
        url: str,
        expected: set[int],
        who: str,
        extra: dict[str, str] | None = None,
    ) -> None:
        nonlocal requests, leaks, writes, owner_pdfs
        authorised_write = who in ("owner", "practice admin") and method == "POST"
        before = row_counts() if method == "POST" and not authorised_write else None
        if method == "POST":
            response_status, body = _post(client, url, extra), ""
        else:
            response = client.get(url)
            response_status = response.status_code
            if response.mimetype == "application/pdf":
                # WeasyPrint compresses its text streams: read the text, not the bytes.
                body = "\n".join(page_texts(response.get_data()))
                if who == "owner":
                    owner_pdfs += 1
                    if not all(secret in body for secret in mine.secrets):
                        problems.append(f"owner GET {url}: the PDF's text lacks the patient")
            else:
                body = response.get_data().decode("utf-8", "replace")
            if who == "password-only" and response_status == 302:
                location = response.headers["Location"]
                if not location.startswith("/login/code"):
                    problems.append(f"{who} GET {url}: sent to {location}, not the second step")
        requests += 1
        if response_status not in expected:
            problems.append(f"{who} {method} {url}: {response_status}, expected {sorted(expected)}")
            leaks += response_status == 200
        if any(secret in body for secret in mine.secrets + mine.private) and who != "owner":
            problems.append(f"{who} {method} {url}: shows the owner's patient")
            leaks += 1
        if before is not None and row_counts() != before:
            problems.append(f"{who} {method} {url}: changed the database")
            writes += 1

    for rule in rules:
        admin_area = rule.endpoint.startswith(ADMIN_BLUEPRINT + ".")
        second_step = rule.endpoint in SECOND_STEP_ENDPOINTS
        for method in methods(rule):
            url = build_url(rule, mine.ids)
            check(anonymous, method, url, {302}, "anonymous")
            if second_step:
                # The login's own steps: a full login is sent on to the caseload.
                if rule.endpoint != "auth.logout":
                    check(as_other, method, url, {302}, "other therapist")
                continue
            check(password_only, method, url, {302}, "password-only")
            if rule.endpoint in BODY_ADDRESSED:
                page = _named_page(rule, mine.ids)
                check(as_other, method, url, {404}, "other therapist", page)
                check(as_admin, method, url, {404}, "practice admin", page)
                mixed = dict(second_of_mine.ids, patient_id=mine.ids["patient_id"])
                check(as_owner, method, url, {404}, "owner, nested ids", _named_page(rule, mixed))
                check(as_owner, method, url, {200, 302}, "owner", page)
            elif is_clinical(rule):
                check(as_other, method, url, {404}, "other therapist")
                check(as_admin, method, url, {404}, "practice admin")
                mixed = dict(second_of_mine.ids, patient_id=mine.ids["patient_id"])
                if len(rule.arguments) > 1:
                    check(as_owner, method, build_url(rule, mixed), {404}, "owner, nested ids")
                    foreign = dict(theirs.ids, patient_id=mine.ids["patient_id"])
                    check(as_owner, method, build_url(rule, foreign), {404}, "owner, foreign ids")
            elif is_own_row(rule):
                # One's own rows outside the caseload (text snippets): nobody else's.
                check(as_other, method, url, {404}, "other therapist")
                check(as_admin, method, url, {404}, "practice admin")
                check(as_owner, method, build_url(rule, theirs.ids), {404}, "owner, foreign ids")
            elif admin_area:
                check(as_owner, method, url, {403}, "therapist in admin area")
                check(
                    as_admin,
                    method,
                    url,
                    {200} if method == "GET" else {200, 302},
                    "practice admin",
                )
            else:
                check(as_other, method, url, {200, 302}, "other therapist")
                check(as_admin, method, url, {200, 302}, "practice admin")
            if method == "GET" and not admin_area:
                # The way back from a handed-over device sends a login that is not handed
                # over to its caseload (tests/web/test_self_report_handover.py covers it).
                back = rule.endpoint == "self_report.handover_return"
                check(as_owner, method, url, {302} if back else {200}, "owner")

    assert not problems, "\n".join(problems)
    assert owner_pdfs, "no PDF was read, so no PDF was checked for another caseload"
    figures.report(
        "authz",
        f"authz: {requests} requests over {len(rules)} routes, {leaks} leaks, "
        f"{writes} unauthorised writes",
    )


def test_every_route_but_login_and_static_redirects_anonymous_to_login(app: Flask) -> None:
    client = app.test_client()
    owner = make_user()
    world = _world(owner)
    db.session.commit()
    for rule in protected_rules(app):
        for method in methods(rule):
            url = build_url(rule, world.ids)
            response = client.open(url, method=method)
            assert response.status_code == 302, f"{method} {url}"
            assert response.headers["Location"].startswith("/login"), f"{method} {url}"


def test_password_only_session_reaches_nothing_but_the_second_step(app: Flask) -> None:
    """A half-logged-in session is sent to the code page from every page but logout."""
    owner = make_user()
    world = _world(owner)
    db.session.commit()
    client = login_password_only(app.test_client(), owner, PASSWORD)
    reached = []
    for rule in protected_rules(app):
        if "GET" not in methods(rule) or rule.endpoint in SECOND_STEP_ENDPOINTS:
            continue
        response = client.get(build_url(rule, world.ids))
        if response.status_code != 302 or response.headers["Location"] != "/login/code":
            reached.append(f"{rule.rule}: {response.status_code}")
    assert reached == []
    assert client.get("/login/code").status_code == 200


def test_the_login_gate_exempts_exactly_these() -> None:
    """The code's exemption lists, against the literal sets the tests above rely on."""
    assert security.PUBLIC_ENDPOINTS == PUBLIC_ENDPOINTS == {"auth.login", "static"}
    assert security.SECOND_STEP_ENDPOINTS == SECOND_STEP_ENDPOINTS
    assert {"auth.two_factor", "auth.enrol", "auth.logout"} == SECOND_STEP_ENDPOINTS
    assert security.PASSWORD_CHANGE_ENDPOINTS == PASSWORD_CHANGE_ENDPOINTS
    assert {"auth.password", "auth.logout", "auth.keep_alive"} == PASSWORD_CHANGE_ENDPOINTS
    assert security.PATIENT_ENDPOINTS == PATIENT_ENDPOINTS
    assert security.HANDOVER_ENDPOINTS == HANDOVER_ENDPOINTS
    assert security.LOCKED_ENDPOINTS == LOCKED_ENDPOINTS
    assert {"auth.unlock", "auth.keep_alive", "auth.logout"} == LOCKED_ENDPOINTS


def test_searching_finds_none_of_another_caseload(app: Flask, login) -> None:
    """A second therapist's search by family name, given name or record number finds nothing."""
    owner, other = make_user(), make_user()
    patient = make_patient(
        owner, family_name="Zwanenburg", given_name="Ilse", record_number="ZW-4471"
    )
    make_patient(other, family_name="Zwart")  # the second therapist's own patient still shows
    db.session.commit()
    as_owner = login(owner, test_client=app.test_client())
    as_other = login(other, test_client=app.test_client())
    for query in (patient.family_name, patient.given_name, patient.record_number, "zwanen"):
        found = as_owner.get("/", query_string={"q": query})
        assert found.status_code == 200 and patient.record_number in found.text, query
        theirs = as_other.get("/", query_string={"q": query})
        assert theirs.status_code == 200 and "No patient on your caseload matches" in theirs.text
        assert f"/patients/{patient.id}" not in theirs.text, query
        # The search box and the "no match" line repeat the query itself; nothing else may.
        shown = theirs.text.replace(query, "")
        for secret in (patient.family_name, patient.given_name, patient.record_number):
            assert secret not in shown, (query, secret)
    own = as_other.get("/", query_string={"q": "zw"}).text
    assert "Zwart" in own and patient.family_name not in own
