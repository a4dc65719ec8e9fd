"""The NEN 7513 audit trail (promise 9): every read, search and change, chained, append-only."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from tests import figures
from tests.factories import make_full_episode, make_patient, make_user
from tests.web.access import build_url, methods, protected_rules
from tests.web.test_access_matrix import _world
from therapy.audit.chain import Actor, record_event, verify_chain
from therapy.audit.events import note_event
from therapy.extensions import db
from therapy.models import AuditEvent, Goal, Patient, SessionTechnique
from therapy.models.enums import AuditAction, AuditOutcome, ProtocolElement


def _events(**where) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    for name, value in where.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return list(db.session.scalars(query))


def _tamper_refused(statement: str, event_id: int) -> bool:
    try:
        db.session.execute(text(statement), {"id": event_id})
        db.session.flush()
    except DBAPIError:
        db.session.rollback()
        return True
    db.session.rollback()
    return False


def _alter_with_triggers_disabled(backend: str, event_id: int) -> None:
    """What someone with direct database access could do: switch the guard off, edit a row."""
    change = text("UPDATE audit_event SET detail = 'nothing to see' WHERE id = :id")
    if backend == "postgresql":
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
        db.session.execute(change, {"id": event_id})
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
    else:
        triggers = db.session.execute(
            text(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'audit_event'"
            )
        ).all()
        assert len(triggers) == 2
        for name, _sql in triggers:
            db.session.execute(text(f'DROP TRIGGER "{name}"'))
        db.session.execute(change, {"id": event_id})
        for _name, sql in triggers:
            db.session.execute(text(sql))
    db.session.commit()


# The most specific object in a URL is the one a page reads (deepest first).
_URL_OBJECTS = (
    ("appointment_id", "appointment"),
    ("document_id", "document"),
    ("entry_id", "formulation_entry"),
    ("administration_id", "phq15_administration"),
    ("checkin_id", "alliance_checkin"),
    ("rating_id", "goal_rating"),
    ("session_id", "therapy_session"),
    ("episode_id", "treatment_episode"),
    ("patient_id", "patient"),
)


def _read_object(arguments: set[str], ids: dict[str, int]) -> tuple[str, int]:
    """The object type and id a GET of a route with these URL arguments must record."""
    name, object_type = next((n, t) for n, t in _URL_OBJECTS if n in arguments)
    return object_type, ids[name]


def _what(event: AuditEvent) -> tuple[object, ...]:
    return (event.action, event.patient_id, event.object_type, event.object_id)


def test_audit_figure(app: Flask, login, backend: str) -> None:
    """Every GET route of a patient's data writes a read event; tampering is refused or found."""
    owner = make_user()
    ids = _world(owner).ids  # the access matrix's world: every URL argument it knows
    db.session.commit()
    client = login(owner)
    routes = [
        rule
        for rule in protected_rules(app)
        if "patient_id" in rule.arguments and "GET" in methods(rule)
    ]
    unaudited = []
    for rule in routes:
        before = len(_events(action=AuditAction.READ, user_id=owner.id))
        response = client.get(build_url(rule, ids))
        assert response.status_code == 200, rule.rule
        reads = _events(action=AuditAction.READ, user_id=owner.id)
        expected = (AuditAction.READ, ids["patient_id"], *_read_object(rule.arguments, ids))
        if len(reads) != before + 1 or _what(reads[-1]) != expected:
            unaudited.append(f"{rule.rule}: {_what(reads[-1]) if reads else None}")
    assert routes and not unaudited, unaudited

    assert verify_chain().intact
    target = _events()[len(_events()) // 2]
    assert _tamper_refused("UPDATE audit_event SET detail = 'x' WHERE id = :id", target.id)
    assert _tamper_refused("DELETE FROM audit_event WHERE id = :id", target.id)
    assert _events()[len(_events()) // 2].detail == target.detail
    _alter_with_triggers_disabled(backend, target.id)
    report = verify_chain()
    assert not report.intact and report.broken_id == target.id
    figures.report(
        "audit", f"audit: {len(routes)} patient-data routes, all audited, tamper detected"
    )


def test_a_removed_row_breaks_the_chain_at_the_next_row(app: Flask, backend: str) -> None:
    for n in range(4):
        record_event(AuditAction.READ, patient_id=n + 1)
    db.session.commit()
    rows = _events()
    if backend == "postgresql":
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"))
        db.session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": rows[1].id})
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only"))
    else:
        db.session.execute(text("DROP TRIGGER audit_event_no_delete"))
        db.session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": rows[1].id})
    db.session.commit()
    report = verify_chain()
    assert report.broken_id == rows[2].id and "removed" in report.problem


def test_the_whole_trail_cannot_be_emptied_in_one_statement(app: Flask, backend: str) -> None:
    """TRUNCATE fires no row trigger, so PostgreSQL has a statement trigger for it."""
    make_user()
    for n in range(3):
        record_event(AuditAction.READ, patient_id=n + 1)
    db.session.commit()
    before = len(_events())
    if backend == "postgresql":
        # Directly, through a table whose rows the trail points at, and with a reset identity.
        statements = (
            "TRUNCATE audit_event",
            "TRUNCATE user_account CASCADE",
            "TRUNCATE audit_event RESTART IDENTITY",
        )
    else:
        # SQLite has no TRUNCATE; its stand-in, an unqualified DELETE, meets the DELETE trigger.
        statements = ("DELETE FROM audit_event",)
    refused = []
    for statement in statements:
        try:
            db.session.execute(text(statement))
            db.session.flush()
        except DBAPIError as error:
            refused.append("append-only" in str(error))
        db.session.rollback()
    assert refused == [True] * len(statements)
    assert len(_events()) == before and verify_chain().intact


def test_searching_the_caseload_is_audited(app: Flask, login) -> None:
    owner = make_user()
    make_patient(owner, family_name="Verbeek")
    make_patient(owner, family_name="Jansen")
    db.session.commit()
    client = login(owner)
    client.get("/")
    assert _events(action=AuditAction.SEARCH) == []
    assert "Verbeek" in client.get("/?q=verb").text
    [search] = _events(action=AuditAction.SEARCH)
    assert search.user_id == owner.id and search.detail == "1 found for: verb"
    assert search.endpoint == "caseload.index" and search.client_address == "127.0.0.1"


def test_a_refused_read_is_audited_as_denied(app: Flask, login) -> None:
    owner, snoop = make_user(), make_user()
    patient = make_patient(owner)
    db.session.commit()
    client = login(snoop)
    assert client.get(f"/patients/{patient.id}").status_code == 404
    [denied] = _events(action=AuditAction.READ, patient_id=patient.id)
    assert denied.user_id == snoop.id and denied.outcome == AuditOutcome.DENIED


def test_changes_are_audited_for_their_patient_in_the_same_transaction(app: Flask) -> None:
    owner = make_user()
    patient = make_patient(owner)
    episode = make_full_episode(patient)
    db.session.commit()
    created = {e.object_type for e in _events(action=AuditAction.CREATE, patient_id=patient.id)}
    assert {"patient", "treatment_episode", "goal", "goal_rating", "therapy_session"} <= created
    assert {"phq15_administration", "formulation_entry", "document"} <= created

    goal = db.session.get(Goal, episode.goals[0].id)
    goal.activity = "Cycling to the market"
    db.session.rollback()  # not saved, so not on record
    assert _events(action=AuditAction.UPDATE) == []

    goal = db.session.get(Goal, episode.goals[0].id)
    goal.activity = "Cycling to the market"
    db.session.commit()
    [changed] = _events(action=AuditAction.UPDATE)
    assert (changed.patient_id, changed.object_type, changed.object_id) == (
        patient.id,
        "goal",
        goal.id,
    )

    db.session.execute(update(Goal).where(Goal.id == goal.id).values(activity="Walking"))
    db.session.commit()
    assert len(_events(action=AuditAction.UPDATE, object_type="goal")) == 2

    db.session.delete(db.session.get(Patient, patient.id))
    db.session.commit()
    [deleted] = _events(action=AuditAction.DELETE, object_type="patient")
    assert deleted.patient_id == patient.id
    assert verify_chain().intact


def test_a_row_removed_from_its_parent_is_audited_as_deleted(app: Flask) -> None:
    """A check-in set to None, a technique unticked: the flush deletes them as orphans."""
    patient = make_patient(make_user())
    episode = make_full_episode(patient)
    session = episode.sessions[-1]
    session.techniques.append(
        SessionTechnique(element=ProtocolElement.BODY, technique="relaxation")
    )
    db.session.commit()
    checkin_id = session.alliance.id
    session.alliance = None
    db.session.commit()
    [removed] = _events(action=AuditAction.DELETE, object_type="alliance_checkin")
    assert (removed.patient_id, removed.object_id) == (patient.id, checkin_id)
    session.techniques.remove(session.techniques[0])
    db.session.commit()
    [unticked] = _events(action=AuditAction.DELETE, object_type="session_technique")
    assert unticked.patient_id == patient.id  # (a row with a composite key has no object id)
    assert verify_chain().intact


def test_print_and_export_are_recorded_with_the_helper(app: Flask, login) -> None:
    owner = make_user()
    patient = make_patient(owner)
    db.session.commit()
    with app.test_request_context(
        "/patients/1/report.pdf", environ_base={"REMOTE_ADDR": "10.1.2.3"}
    ):
        note_event(AuditAction.PRINT, patient_id=patient.id, object_type="document", object_id=7)
        db.session.commit()
    [printed] = _events(action=AuditAction.PRINT)
    assert printed.patient_id == patient.id and printed.client_address == "10.1.2.3"


def test_appends_from_many_workers_keep_one_chain(app: Flask) -> None:
    """Concurrent transactions append in turn: the chain never forks."""
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            with app.app_context():
                for i in range(8):
                    record_event(
                        AuditAction.READ, actor=Actor(user_id=None), patient_id=n * 100 + i
                    )
                    db.session.commit()
                db.session.remove()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    db.session.commit()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    report = verify_chain()
    assert report.intact and report.rows == 32
    assert db.session.scalar(select(func.count(func.distinct(AuditEvent.prev_hash)))) == 32


def test_the_owner_sees_who_accessed_the_record(app: Flask, login) -> None:
    owner, snoop = make_user(full_name="Eva Owner"), make_user(full_name="Sam Snoop")
    patient = make_patient(owner)
    db.session.commit()
    login(snoop, test_client=app.test_client()).get(f"/patients/{patient.id}")
    client = login(owner)
    client.get(f"/patients/{patient.id}")
    page = client.get(f"/patients/{patient.id}/access-log")
    assert page.status_code == 200
    assert "Sam Snoop" in page.text and "Refused" in page.text
    assert "Eva Owner" in page.text and "Viewed" in page.text


def _queries_of_request(app: Flask, client, url: str) -> int:
    """How many SQL statements one request ran (recorded inside its own app context)."""
    from flask import request_finished
    from flask_sqlalchemy.record_queries import get_recorded_queries

    seen: list[int] = []

    def count(_sender, **_extra) -> None:
        seen.append(len(get_recorded_queries()))

    request_finished.connect(count, app)
    try:
        assert client.get(url).status_code == 200
    finally:
        request_finished.disconnect(count, app)
    return seen[0]


def test_audit_pages_run_a_fixed_number_of_queries(app: Flask, login) -> None:
    from therapy.models.enums import Role

    owner = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    patient = make_patient(owner)
    db.session.commit()
    as_owner, as_admin = login(owner, test_client=app.test_client()), login(admin)
    log, search = f"/patients/{patient.id}/access-log", "/admin/audit?action=read"
    few = (_queries_of_request(app, as_owner, log), _queries_of_request(app, as_admin, search))
    for n in range(120):
        record_event(AuditAction.READ, actor=Actor(user_id=n % 2 + owner.id), patient_id=patient.id)
    db.session.commit()
    many = (_queries_of_request(app, as_owner, log), _queries_of_request(app, as_admin, search))
    assert few == many


def test_a_read_keeps_the_most_specific_object_whatever_the_order(app: Flask) -> None:
    """A view that loads a document and then its episode read the document, not the episode."""
    from flask_login import login_user

    from therapy.access.scoping import get_document_or_404, get_episode_or_404, get_patient_or_404
    from therapy.models import Document

    owner = make_user()
    patient = make_patient(owner)
    episode = make_full_episode(patient)
    document = db.session.scalar(select(Document).where(Document.episode_id == episode.id))
    db.session.commit()
    ids = (patient.id, episode.id)
    orders = {
        "child first": lambda: (
            get_document_or_404(*ids, document.id),
            get_episode_or_404(*ids),
            get_patient_or_404(patient.id),
        ),
        "parents first": lambda: (
            get_patient_or_404(patient.id),
            get_episode_or_404(*ids),
            get_document_or_404(*ids, document.id),
        ),
    }
    for name, lookups in orders.items():
        with app.test_request_context(f"/patients/{patient.id}", method="GET"):
            login_user(owner)
            lookups()
            db.session.commit()
        read = _events(action=AuditAction.READ)[-1]
        assert (read.patient_id, read.object_type, read.object_id) == (
            patient.id,
            "document",
            document.id,
        ), name
    assert len(_events(action=AuditAction.READ)) == 2, "one read per request"
