"""Each page beside its floor (bench/floors.py), measured in the same run on the same database.

The floors' saves write the rows the real saves write; the number of audit rows is counted
from a real save first, so the floor appends as many chained rows as the app does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bench.floor_saves import phq15_saver, session_saver
from bench.floors import Phq15FloorForm, SessionFloorForm, form_floor_app
from bench.harness import TYPICAL_SESSION, QueryCount, Timing, form_fields, measure
from bench.intake_floor import intake_runs
from therapy.clock import practice_today
from therapy.extensions import db
from therapy.models import AuditEvent, Patient, TherapySession, TreatmentEpisode
from therapy.models.enums import EpisodeStatus

# Which floor each page is measured against: a floor's name, or two added together.
FLOOR_OF = {
    "caseload of a busy practice": ("baseline page while colleagues save",),
    "episode page": ("audited-read floor",),
    "session form GET": ("session form floor", "audited-read floor"),
    "session form POST": ("session durable-save floor",),
    "PHQ-15 entry GET": ("PHQ-15 form floor", "audited-read floor"),
    "PHQ-15 entry POST": ("PHQ-15 durable-save floor",),
    "intake POST": ("intake durable-save floor",),
}
FLOOR_LABEL = {
    ("baseline page while colleagues save",): "baseline page (both while colleagues save)",
    ("audited-read floor",): "audited-read floor",
    ("session form floor", "audited-read floor"): "form floor + audited read",
    ("session durable-save floor",): "durable-save floor",
    ("PHQ-15 form floor", "audited-read floor"): "form floor + audited read",
    ("PHQ-15 durable-save floor",): "durable-save floor",
    ("intake durable-save floor",): "durable-save floor",
}


@dataclass
class Result:
    """One page's figures at one size."""

    name: str
    timing: Timing
    queries: float


def timed(
    app: Flask,
    name: str,
    call: Callable[[], object],
    runs: int,
    between: Callable[[], object] | None = None,
) -> Result:
    """Time a call and count the app engine's statements per call (`between` untimed)."""
    counter = QueryCount(app)
    untimed = [0]

    def other_work() -> None:
        # The other users' work is not this page's queries: counted apart and taken off.
        before = counter.count
        between()  # type: ignore[misc]
        untimed[0] += counter.count - before

    timing = measure(call, runs=runs, between=other_work if between else None)
    counter.close()
    counter.count -= untimed[0]
    return Result(name, timing, counter.count / (runs + 5))


def _audit_rows() -> int:
    return int(db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def _expect(response, status: int, what: str) -> None:
    if response.status_code != status:
        raise SystemExit(f"{what}: HTTP {response.status_code} {response.text[:300]}")


def _active_episodes(therapist_id: int) -> list[TreatmentEpisode]:
    return list(
        db.session.scalars(
            select(TreatmentEpisode)
            .join(Patient)
            .where(Patient.therapist_id == therapist_id)
            .where(TreatmentEpisode.status == EpisodeStatus.ACTIVE)
            .order_by(TreatmentEpisode.id)
        )
    )


def measure_floors(
    app: Flask, client: FlaskClient, url: str, session_url: str, runs: int
) -> dict[str, Result]:
    """The floors, and the PHQ-15 entry pages beside theirs."""
    calls = runs + 5
    with app.app_context():
        episodes = _active_episodes(1)
        floor_episode = episodes[-1]
        first = 1 + int(
            db.session.scalar(
                select(func.max(TherapySession.number)).where(
                    TherapySession.episode_id == floor_episode.id
                )
            )
            or 0
        )
        phq_targets = [(e.patient_id, e.id) for e in episodes[:-1]]
        today = practice_today()
        db.session.remove()

    # How many audit rows one real save writes (the floor appends as many).
    def session_fields() -> dict[str, str]:
        fields = form_fields(_ok(client.get(session_url), session_url).text)
        fields.update(TYPICAL_SESSION)
        fields.update({key: "6" for key in fields if key.endswith("-score")})
        return fields

    with app.app_context():
        before = _audit_rows()
        _expect(client.post(session_url, data=session_fields()), 302, "session POST")
        session_audits = _audit_rows() - before
        db.session.remove()
    session_forms = [session_fields() for _ in range(calls)]

    phq_posts = [
        (patient, episode, today - timedelta(days=1 + n // len(phq_targets)))
        for n, (patient, episode) in enumerate(phq_targets * (1 + 2 * calls // len(phq_targets)))
    ]
    phq_forms = []

    def phq_url(patient: int, episode: int) -> str:
        return f"/patients/{patient}/episodes/{episode}/phq15/new"

    def phq_fields(patient: int, episode: int, day) -> dict[str, str]:
        fields = form_fields(_ok(client.get(phq_url(patient, episode)), "PHQ-15").text)
        fields.update({f"item_{n:02d}": "1" for n in range(1, 16)})
        fields.update(timepoint="other", timepoint_note="bench", administered_on=day.isoformat())
        return fields

    with app.app_context():
        before = _audit_rows()
        patient, episode, day = phq_posts.pop()
        _expect(
            client.post(phq_url(patient, episode), data=phq_fields(patient, episode, day)),
            302,
            "PHQ-15 POST",
        )
        phq_audits = _audit_rows() - before
        db.session.remove()
    for _ in range(calls):
        patient, episode, day = phq_posts.pop()
        phq_forms.append((phq_url(patient, episode), phq_fields(patient, episode, day)))
    phq_floor_forms = [dict(fields) for _url, fields in phq_forms]
    floor_days = [
        (episode, today - timedelta(days=40 + n // len(phq_targets)))
        for n, (_patient, episode) in enumerate(phq_targets * (1 + 2 * calls // len(phq_targets)))
    ]

    session_floor = form_floor_app(
        url, SessionFloorForm, session_saver(floor_episode.id, first, session_audits)
    ).test_client()
    phq_floor = form_floor_app(
        url, Phq15FloorForm, phq15_saver(floor_days, phq_audits)
    ).test_client()

    def floor_post(floor: FlaskClient, forms: list[dict[str, str]]) -> Callable[[], None]:
        token = form_fields(floor.get("/form").text)["csrf_token"]

        def call() -> None:
            _expect(floor.post("/form", data={**forms.pop(), "csrf_token": token}), 302, "floor")

        return call

    def app_post() -> None:
        target, fields = phq_forms.pop()
        _expect(client.post(target, data=fields), 302, "PHQ-15 POST")

    phq_get = phq_url(*phq_targets[0])
    results = {
        "audited-read floor": timed(app, "audited", lambda: session_floor.get("/audited"), runs),
        "session form floor": timed(app, "form", lambda: session_floor.get("/form"), runs),
        "session durable-save floor": timed(
            app, "save", floor_post(session_floor, [dict(f) for f in session_forms]), runs
        ),
        "PHQ-15 entry GET": timed(app, "phq GET", lambda: _ok(client.get(phq_get), phq_get), runs),
        "PHQ-15 entry POST": timed(app, "phq POST", app_post, runs),
        "PHQ-15 form floor": timed(app, "phq form", lambda: phq_floor.get("/form"), runs),
        "PHQ-15 durable-save floor": timed(
            app, "phq save", floor_post(phq_floor, phq_floor_forms), runs
        ),
    }
    results.update(intake_runs(app, client, url, runs, timed))
    return results


def _ok(response, what: str):
    _expect(response, 200, what)
    return response
