"""A Dutch page is no slower than the same page in English (issue 12: at most 1.1x).

Run from the project root: `.venv/bin/python -m bench.languages` (or `make bench`). For each
database it seeds 1,000 patients, then times the caseload, an episode page and the session
form for a therapist whose account speaks English and one whose account speaks Dutch, the
two interleaved request by request so the machine's load falls on both alike. Prints p50
per page and language, and one `target:` line per page and database.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select, update

from bench.harness import Timing, logged_in_client, target
from bench.live import fresh_postgres_database
from bench.seed_large import seed_large
from therapy import create_app
from therapy.extensions import db
from therapy.models import TreatmentEpisode, User
from therapy.models.enums import EpisodeStatus

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PATIENTS = 1_000


def _database(backend: str, scratch: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{scratch / 'bench-languages.db'}"
    server = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    return fresh_postgres_database(server, "bench_languages")


def run(backend: str, runs: int, scratch: Path) -> bool:
    """Seed, then time each page in English and in Dutch, interleaved."""
    url = _database(backend, scratch)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(scratch)})
    with app.app_context():
        upgrade()
        with db.engine.begin() as connection:
            seed_large(connection, patients=PATIENTS, therapists=2)
        # Two therapists with caseloads seeded alike: one account reads English, one Dutch.
        db.session.execute(update(User).where(User.id == 1).values(language="en_GB"))
        db.session.execute(update(User).where(User.id == 2).values(language="nl"))
        db.session.commit()
        pages = {language: _pages(therapist) for therapist, language in ((1, "en_GB"), (2, "nl"))}
        db.session.remove()
    clients = {"en_GB": logged_in_client(app, 1), "nl": logged_in_client(app, 2)}
    ok = True
    print(f"\n== {backend}, {PATIENTS:,} patients, {runs} requests per page and language")
    for name in pages["nl"]:
        paths = {language: pages[language][name] for language in clients}
        timings = _interleaved(clients, paths, runs)
        english, dutch = timings["en_GB"], timings["nl"]
        print(f"  {name:18} English {english.line()}  Dutch {dutch.line()}")
        ok &= target(f"{backend} {name} in Dutch / in English", dutch.p50 / english.p50, "<=", 1.1)
    with app.app_context():
        db.engine.dispose()
    return ok


def _pages(therapist_id: int) -> dict[str, str]:
    """The caseload, the first episode in treatment and its session form of one therapist."""
    episode = db.session.scalar(
        select(TreatmentEpisode)
        .where(
            TreatmentEpisode.therapist_id == therapist_id,
            TreatmentEpisode.status == EpisodeStatus.ACTIVE,
        )
        .order_by(TreatmentEpisode.id)
    )
    episode_url = f"/patients/{episode.patient_id}/episodes/{episode.id}"
    return {
        "caseload": "/",
        "episode page": episode_url,
        "session form GET": f"{episode_url}/sessions/new",
    }


def _interleaved(clients: dict, paths: dict[str, str], runs: int) -> dict[str, Timing]:
    """Alternate the languages request by request, so load on the machine hits both alike."""
    samples: dict[str, list[float]] = {language: [] for language in clients}
    for round_number in range(runs + 5):
        for language, client in clients.items():
            gc.collect()
            start = time.perf_counter()
            response = client.get(paths[language])
            elapsed = (time.perf_counter() - start) * 1000
            expected = 'lang="nl"' if language == "nl" else 'lang="en-GB"'
            if response.status_code != 200 or expected not in response.text:
                raise SystemExit(f"{paths[language]}: HTTP {response.status_code}")
            if round_number >= 5:  # the first rounds warm the caches up
                samples[language].append(elapsed)
    return {language: _timing(values) for language, values in samples.items()}


def _timing(samples: list[float]) -> Timing:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Timing(p50=statistics.median(ordered), p95=p95, calls=len(ordered))


def main() -> int:
    """Measure both databases and print the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=80)
    args = parser.parse_args()
    os.environ.setdefault("THERAPY_ENV", "development")  # as served: no query recording
    ok = True
    with tempfile.TemporaryDirectory() as scratch:
        for backend in args.backends.split(","):
            ok &= run(backend, args.runs, Path(scratch))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
