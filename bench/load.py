"""A load run: 20 therapists logging sessions at once for 60 seconds, against gunicorn.

`.venv/bin/python -m bench.load [--seconds 60] [--therapists 20] [--backends sqlite,postgresql]`
(part of `make bench`). Each simulated therapist is a thread with its own login that, as fast
as the server lets it, opens the caseload, an episode page and the session form, and saves
a session through the real form (CSRF token, form key, goal re-ratings). Every save the
server acknowledged (302) is remembered; afterwards each must be in the database, and there
must have been no error at all. Only 127.0.0.1 is used; the run is bounded by --seconds.
Exit status 1 when a save is missing or any request failed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

from bench.harness import TYPICAL_SESSION, form_fields, target
from bench.live import (
    Client,
    Server,
    free_port,
    fresh_postgres_database,
    server_env,
    session_cookie,
)
from bench.pages import DEFAULT_POSTGRES
from therapy import create_app
from therapy.extensions import db
from therapy.models import Goal, GoalRating, Patient, TherapySession, TreatmentEpisode, User
from therapy.models.enums import EpisodeStatus, Profession, RatingOccasion, Role, Sex

EPISODES_PER_THERAPIST = 3


@dataclass
class Therapist:
    """One simulated therapist: a login and the episodes they log sessions for."""

    cookie: str
    episodes: list[str]
    acknowledged: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


def _seed(app, therapists: int) -> list[Therapist]:
    """Therapists, each with a few active episodes with two goals rated at intake."""
    today = date.today()
    people = []
    with app.app_context():
        for number in range(therapists):
            user = User(
                email=f"load{number}@bench.example",
                full_name=f"Load Therapist {number}",
                role=Role.THERAPIST,
                profession=Profession.EXERCISE_THERAPIST,
                password_hash="!unusable",  # noqa: S106 (no login: sessions are opened directly)
            )
            db.session.add(user)
            db.session.flush()
            episodes = []
            for index in range(EPISODES_PER_THERAPIST):
                patient = Patient(
                    therapist_id=user.id,
                    record_number=f"LOAD-{number}-{index}",
                    given_name="Load",
                    family_name=f"Patient {number}-{index}",
                    date_of_birth=date(1975, 1, 1),
                    sex=Sex.FEMALE,
                )
                db.session.add(patient)
                db.session.flush()
                episode = TreatmentEpisode(
                    patient_id=patient.id,
                    therapist_id=user.id,
                    status=EpisodeStatus.ACTIVE,
                    started_on=today - timedelta(days=30),
                    referral_date=today - timedelta(days=40),
                    request_for_help="To work full days again.",
                    planned_sessions=12,
                )
                db.session.add(episode)
                db.session.flush()
                for position in (1, 2):
                    goal = Goal(episode_id=episode.id, position=position, activity="Walking")
                    goal.ratings.append(
                        GoalRating(
                            occasion=RatingOccasion.BASELINE,
                            rated_on=episode.started_on,
                            score=3,
                        )
                    )
                    db.session.add(goal)
                episodes.append(f"/patients/{patient.id}/episodes/{episode.id}")
            people.append(Therapist(cookie=session_cookie(app, user), episodes=episodes))
        db.session.commit()
    return people


def _work(person: Therapist, port: int, cookie_name: str, until: float) -> None:
    client = Client(port, cookie_name, person.cookie)
    turn = 0
    while time.monotonic() < until:
        episode = person.episodes[turn % len(person.episodes)]
        turn += 1
        for path in ("/", episode):
            _timed(person, client, path, None, 200)
        start = time.monotonic()
        status, _location, page = client.open(f"{episode}/sessions/new")
        person.latencies.append(time.monotonic() - start)
        if status != 200:
            person.errors.append(f"GET {episode}/sessions/new: {status}")
            continue
        fields = form_fields(page)
        fields.update(TYPICAL_SESSION)
        fields.update({key: "6" for key in fields if key.endswith("-score")})
        if _timed(person, client, f"{episode}/sessions/new", fields, 302):
            person.acknowledged[episode] = person.acknowledged.get(episode, 0) + 1


def _timed(person, client, path: str, fields, expected: int) -> bool:
    start = time.monotonic()
    try:
        status, _location, _body = client.open(path, fields)
    except OSError as error:
        person.errors.append(f"{path}: {error}")
        return False
    person.latencies.append(time.monotonic() - start)
    if status != expected:
        person.errors.append(f"{'POST' if fields else 'GET'} {path}: {status}")
        return False
    return True


def run(url: str, seconds: float, therapists: int, workdir: Path) -> bool:
    """Seed, serve with gunicorn, let the therapists work, then check every save."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(workdir)})
    with app.app_context():
        upgrade()
    port = free_port()
    env = server_env(url, workdir, port)
    app.config["SECRET_KEY"] = env["SECRET_KEY"]  # the cookies must be signed like gunicorn's
    people = _seed(app, therapists)
    server = Server(env, port)
    server.start()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_work, args=(p, port, str(app.config["SESSION_COOKIE_NAME"]), until)
        )
        for p in people
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    server.stop()
    with app.app_context():
        stored = dict(
            db.session.execute(
                select(TreatmentEpisode.id, func.count(TherapySession.id))
                .join(TherapySession, TherapySession.episode_id == TreatmentEpisode.id)
                .group_by(TreatmentEpisode.id)
            ).all()
        )
        db.engine.dispose()
    acknowledged = missing = 0
    for person in people:
        for episode, count in person.acknowledged.items():
            acknowledged += count
            missing += max(0, count - stored.get(int(episode.rsplit("/", 1)[1]), 0))
    errors = [error for person in people for error in person.errors]
    latencies = sorted(value for person in people for value in person.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0.0
    backend = url.split(":", 1)[0].split("+", 1)[0]
    print(
        f"load ({backend}): {therapists} therapists for {seconds:.0f} s: {acknowledged} sessions "
        f"acknowledged, {acknowledged - missing} in the database, {len(errors)} errors; "
        f"{len(latencies) / elapsed:.0f} requests/s, "
        f"p50 {statistics.median(latencies) * 1000 if latencies else 0:.0f} ms, p95 {p95:.0f} ms"
    )
    for error in errors[:10]:
        print(f"  error: {error}")
    ok = target(f"{backend} load: errors", len(errors), "<=", 0)
    ok &= target(f"{backend} load: acknowledged saves missing", missing, "<=", 0)
    return ok and acknowledged > 0


def main() -> int:
    """Run the load on each database and print the figures and targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--therapists", type=int, default=20)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    ok = True
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as scratch:
            if backend == "sqlite":
                url = f"sqlite:///{Path(scratch) / 'load.db'}"
            else:
                server = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
                url = fresh_postgres_database(server, "bench_load")
            ok &= run(url, args.seconds, args.therapists, Path(scratch))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
