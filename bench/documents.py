"""Time a treatment report request to bytes against WeasyPrint rendering the same HTML alone.

Run from the project root: `.venv/bin/python -m bench.documents [runs]`. It builds a
throw-away SQLite database with the demo practice, opens a verified session for a demo
therapist (as after password and code), opens a draft report of a closed demo episode, and
then alternates:

- the PDF download through the test client (login gate, scoping, gathering the data in a
  fixed number of queries, templates, rendering, response), and
- render_pdf() on the HTML and CSS that same request renders (WeasyPrint alone).

The treatment report is a closed demo episode's (4 pages). It prints the median and best
time of each and their ratio (target: 1.2 or less, judged on the best times, as timeit
advises on a shared machine); it exits with status 1 above the target. Each run starts after
a full garbage collection: one full collection during a render costs about a third of it,
and without this it falls on either side by chance.
"""

from __future__ import annotations

import cProfile
import gc
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from bench.harness import logged_in_client
from therapy import create_app
from therapy.extensions import db
from therapy.models import Document, Patient, TreatmentEpisode, User
from therapy.models.enums import EpisodeStatus
from therapy.pdf.render import render_pdf
from therapy.services.demo.practice import seed_demo_practice
from therapy.services.documents.current import draft_output
from therapy.services.documents.gather import EPISODE_LOAD_OPTIONS
from therapy.services.documents.produce import document_css, document_html

TARGET = 1.2
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _token(html: str) -> str:
    match = _TOKEN.search(html)
    if match is None:
        raise SystemExit("no CSRF token on the page")
    return match.group(1)


def _function_calls(run: Callable[[], object]) -> int:
    """How many Python function calls one run makes (deterministic, unlike its duration)."""
    profile = cProfile.Profile()
    profile.runcall(run)
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def main(runs: int) -> int:
    """Run the comparison and print the figures; exit 1 when over the target."""
    folder = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_RECORD_QUERIES": False,
        }
    )
    with app.app_context():
        upgrade()
        seed_demo_practice()
        db.session.commit()
        episode = db.session.scalar(
            select(TreatmentEpisode)
            .join(Patient)
            .where(TreatmentEpisode.status == EpisodeStatus.CLOSED)
            .order_by(TreatmentEpisode.id)
        )
        therapist = db.session.get(User, episode.therapist_id)
        therapist_id, patient_id, episode_id = therapist.id, episode.patient_id, episode.id

    client = logged_in_client(app, therapist_id)
    base = f"/patients/{patient_id}/episodes/{episode_id}/documents"
    client.post(
        f"{base}/new",
        data={"csrf_token": _token(client.get(base).text), "kind": "treatment_report"},
    )
    with app.app_context():
        document_id = db.session.scalar(
            select(Document.id).where(Document.episode_id == episode_id)
        )
    url = f"{base}/{document_id}/pdf"

    with app.test_request_context():
        document = db.session.get(Document, document_id)
        loaded = db.session.get(TreatmentEpisode, episode_id, options=EPISODE_LOAD_OPTIONS)
        html, css = document_html(*draft_output(document, loaded)), document_css()
        db.session.remove()

    def request_to_bytes() -> tuple[float, float]:
        gc.collect()  # both sides start each run with the collector in the same state
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        body = response.get_data()
        elapsed = time.perf_counter() - wall, time.process_time() - cpu
        if response.status_code != 200 or not body.startswith(b"%PDF"):
            raise SystemExit(f"the report request failed: {response.status_code}")
        return elapsed

    def weasyprint_alone() -> tuple[float, float]:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        render_pdf(html, css)
        return time.perf_counter() - wall, time.process_time() - cpu

    request_to_bytes(), weasyprint_alone()  # warm up: imports, template and font caches
    requests, renders = [], []
    for run in range(runs):
        # The order alternates too, so neither side always follows the other's warm caches.
        if run % 2:
            renders.append(weasyprint_alone())
            requests.append(request_to_bytes())
        else:
            requests.append(request_to_bytes())
            renders.append(weasyprint_alone())
    for label, runs_of in (("request to bytes:  ", requests), ("WeasyPrint alone:  ", renders)):
        wall, cpu = [w for w, _c in runs_of], [c for _w, c in runs_of]
        print(
            f"{label} median {statistics.median(wall):.3f} s wall, "
            f"{statistics.median(cpu):.3f} s CPU; best {min(wall):.3f} s wall ({runs} runs)"
        )
    # The best of many runs is the judge (as timeit advises): slower runs are other processes
    # interfering, which on a shared machine they do. Medians are printed alongside.
    ratio = min(w for w, _c in requests) / min(w for w, _c in renders)
    median_ratio = statistics.median(r[1] / w[1] for r, w in zip(requests, renders, strict=True))
    print(f"ratio: {ratio:.2f} best wall, {median_ratio:.2f} median CPU (target <= {TARGET})")
    # A cross-check that no other process can disturb: the Python work done by each side.
    calls = [_function_calls(fn) for fn in (request_to_bytes, weasyprint_alone)]
    print(f"Python function calls: {calls[0]} vs {calls[1]}, ratio {calls[0] / calls[1]:.2f}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 11))
