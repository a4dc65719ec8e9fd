"""Page latency at clinic scale beside bare Flask + SQLAlchemy + Jinja floors, on both databases.

Run from the project root: `.venv/bin/python -m bench.pages` (or `make bench`). For each
database (SQLite file; PostgreSQL at BENCH_POSTGRES_URL, default the local `test` server) and
each size (100 and 10,000 patients, about 12 sessions each) it seeds a practice, then times
in-process requests through the test client: the caseload (kept, while colleagues save, and
worked out), an episode page, the session form (GET and POST), the PHQ-15 entry (GET and
POST), the intake POST and a treatment report PDF. Each page is printed with p50/p95
latency, queries per request and its ratio to the baseline page, and under it the floor that
does the same mandatory work (bench/floors.py: audited read, form, durable save) with the
ratio to that; the last lines are the targets (`target: ... met` or `... MISSED`), each
naming its floor. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from bench.busy import busy_caseload
from bench.floor_runs import FLOOR_LABEL, FLOOR_OF, Result, measure_floors, timed
from bench.floors import bare_app
from bench.harness import (
    TYPICAL_SESSION,
    form_fields,
    logged_in_client,
    target,
)
from bench.live import fresh_postgres_database
from bench.seed_large import seed_large
from therapy import create_app
from therapy.extensions import db
from therapy.models import Document, Patient, TreatmentEpisode
from therapy.models.enums import DocumentKind, EpisodeStatus
from therapy.pdf.render import render_pdf
from therapy.services.documents.current import draft_output
from therapy.services.documents.gather import EPISODE_LOAD_OPTIONS
from therapy.services.documents.produce import document_css, document_html

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def fresh_database(backend: str, size: int, scratch: Path) -> str:
    """An empty database of the backend for one size (a file, or a PostgreSQL database)."""
    if backend == "sqlite":
        return f"sqlite:///{scratch / f'bench-{size}.db'}"
    server = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    # BENCH_DB_SUFFIX keeps two checkouts benching on one server out of each other's way.
    suffix = os.environ.get("BENCH_DB_SUFFIX", "")
    return fresh_postgres_database(server, f"bench_pages_{size}{suffix}")


def run_size(backend: str, size: int, runs: int, scratch: Path) -> dict[str, Result]:
    """Seed one database and measure every page on it."""
    url = fresh_database(backend, size, scratch)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(scratch)})
    with app.app_context():
        upgrade()
        with db.engine.begin() as connection:
            # At least two therapists: the busy-practice run needs a colleague who saves.
            seed_large(connection, patients=size, therapists=max(2, size // 200))
        therapist_id = 1
        active = db.session.scalar(
            select(TreatmentEpisode)
            .join(Patient)
            .where(Patient.therapist_id == therapist_id)
            .where(TreatmentEpisode.status == EpisodeStatus.ACTIVE)
            .order_by(TreatmentEpisode.id)
        )
        closed = db.session.scalar(
            select(TreatmentEpisode)
            .join(Patient)
            .where(Patient.therapist_id == therapist_id)
            .where(TreatmentEpisode.status == EpisodeStatus.CLOSED)
            .order_by(TreatmentEpisode.id)
        )
        report = Document(
            episode_id=closed.id, kind=DocumentKind.TREATMENT_REPORT, author_id=therapist_id
        )
        db.session.add(report)
        db.session.commit()
        ids = (active.patient_id, active.id, closed.patient_id, closed.id, report.id)
        loaded = db.session.get(TreatmentEpisode, closed.id, options=EPISODE_LOAD_OPTIONS)
        with app.test_request_context():
            report_html = document_html(*draft_output(report, loaded))
            report_css = document_css()
        db.session.remove()
    patient_id, episode_id, closed_patient, closed_episode, document_id = ids
    client = logged_in_client(app, therapist_id)
    bare = bare_app(url, therapist_id).test_client()
    episode_url = f"/patients/{patient_id}/episodes/{episode_id}"
    session_url = f"{episode_url}/sessions/new"
    pdf_url = f"/patients/{closed_patient}/episodes/{closed_episode}/documents/{document_id}/pdf"

    def get(url: str):
        def call() -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")

        return call

    forms = []
    for _ in range(runs + 5):
        fields = form_fields(client.get(session_url).text)
        fields.update(TYPICAL_SESSION)
        fields.update({key: "6" for key in fields if key.endswith("-score")})
        forms.append(fields)

    def post_session() -> None:
        response = client.post(session_url, data=forms.pop())
        if response.status_code != 302:
            raise SystemExit(f"session POST refused: HTTP {response.status_code}")

    def caseload_worked_out() -> None:
        # As after any change to patient data: the kept page is gone (therapy.services.
        # caseload_cache), so the page is worked out from the database again.
        kept = app.extensions.get("caseload_pages")
        if kept is not None:
            kept.clear()
        get("/")()

    results = {
        "baseline page (bare Flask, 50 rows)": timed(app, "baseline", lambda: bare.get("/"), runs),
        "caseload": timed(app, "caseload", get("/"), runs),
        **busy_caseload(app, get("/"), lambda: bare.get("/"), runs),
        "caseload after a change (not kept)": timed(
            app, "caseload worked out", caseload_worked_out, runs
        ),
        "episode page": timed(app, "episode", get(episode_url), runs),
        "session form GET": timed(app, "session GET", get(session_url), runs),
        "session form POST": timed(app, "session POST", post_session, runs),
        **measure_floors(app, client, url, session_url, runs),
        "baseline document (WeasyPrint alone)": timed(
            app, "weasyprint", lambda: render_pdf(report_html, report_css), max(3, runs // 10)
        ),
        "treatment report PDF": timed(app, "report", get(pdf_url), max(3, runs // 10)),
    }
    with app.app_context():
        db.engine.dispose()
    return results


def main() -> int:
    """Measure, print the table and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="100,10000")
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("THERAPY_ENV", "development")  # as served: no query recording
    sizes = [int(size) for size in args.sizes.split(",")]
    ok = True
    with tempfile.TemporaryDirectory() as scratch:
        for backend in args.backends.split(","):
            by_size = {size: run_size(backend, size, args.runs, Path(scratch)) for size in sizes}
            ok &= _report(backend, by_size)
    return 0 if ok else 1


def _floor(results: dict[str, Result], page: str) -> float:
    return sum(results[name].timing.p50 for name in FLOOR_OF[page])


def _report(backend: str, by_size: dict[int, dict[str, Result]]) -> bool:
    ok = True
    largest, smallest = max(by_size), min(by_size)
    for size, results in by_size.items():
        print(f"\n== {backend}, {size:,} patients")
        page_floor = results["baseline page (bare Flask, 50 rows)"].timing.p50
        doc_floor = results["baseline document (WeasyPrint alone)"].timing.p50
        for name, result in results.items():
            floor = doc_floor if "PDF" in name or "document" in name else page_floor
            print(
                f"  {name:38} {result.timing.line()}  queries {result.queries:5.1f}  "
                f"ratio {result.timing.p50 / floor:5.2f}"
            )
            if name in FLOOR_OF:
                # Each page's own floor beside it: what the same job costs a bare app.
                label = FLOOR_LABEL[FLOOR_OF[name]]
                print(
                    f"    floor: {label:30} p50 {_floor(results, name):7.2f} ms"
                    f"{'':15}  ratio {result.timing.p50 / _floor(results, name):5.2f}"
                )
    results = by_size[largest]
    page_floor = results["baseline page (bare Flask, 50 rows)"].timing.p50
    ratio = results["caseload"].timing.p50 / page_floor
    ok &= target(f"{backend} caseload / baseline page", ratio, "<=", 2.0)
    for page in FLOOR_OF:
        ratio = results[page].timing.p50 / _floor(results, page)
        ok &= target(f"{backend} {page} / {FLOOR_LABEL[FLOOR_OF[page]]}", ratio, "<=", 2.0)
    for page in ("caseload", "episode page", "session form GET", "session form POST"):
        if smallest != largest:
            growth = results[page].timing.p50 / by_size[smallest][page].timing.p50
            ok &= target(f"{backend} {page} at {largest:,} / at {smallest:,}", growth, "<=", 1.2)
    report = results["treatment report PDF"].timing.p50
    floor = results["baseline document (WeasyPrint alone)"].timing.p50
    ok &= target(f"{backend} treatment report / WeasyPrint alone", report / floor, "<=", 1.2)
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
