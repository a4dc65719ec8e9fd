"""The caseload as a busy practice sees it: other therapists save sessions between requests.

Each timed caseload request of therapist 1 follows (untimed) a session saved through the app
by a colleague, so the trail's newest change is always newer than the kept page: the page is
kept only if the kept-page key tells another therapist's change from one of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import cycle

from flask import Flask
from sqlalchemy import select

from bench.floor_runs import Result, timed
from bench.harness import TYPICAL_SESSION, form_fields, logged_in_client
from therapy.extensions import db
from therapy.models import Patient, TreatmentEpisode
from therapy.models.enums import EpisodeStatus


def busy_caseload(
    app: Flask, caseload: Callable[[], None], baseline: Callable[[], object], runs: int
) -> dict[str, Result]:
    """The caseload of therapist 1 while therapists 2, 3, ... each save a session before it,
    and the baseline page under the same saves (on SQLite a read after another connection's
    commit starts from a cold page cache, for the bare page as for the app's)."""
    with app.app_context():
        rows = db.session.execute(
            select(Patient.therapist_id, TreatmentEpisode.patient_id, TreatmentEpisode.id)
            .join(Patient)
            .where(Patient.therapist_id != 1, TreatmentEpisode.status == EpisodeStatus.ACTIVE)
            .order_by(TreatmentEpisode.id)
        ).all()
        db.session.remove()
    if not rows:
        raise SystemExit("busy practice: no other therapist with a patient in treatment")
    clients = {therapist: logged_in_client(app, therapist) for therapist, _p, _e in rows[:20]}
    # One episode per save, round the practice, so no episode reaches its session limit.
    episodes = cycle([(t, f"/patients/{p}/episodes/{e}/sessions/new") for t, p, e in rows])

    def colleague_saves() -> None:
        therapist, url = next(episodes)
        colleague = clients.get(therapist) or clients.setdefault(
            therapist, logged_in_client(app, therapist)
        )
        fields = form_fields(colleague.get(url).text)
        fields.update(TYPICAL_SESSION)
        fields.update({key: "6" for key in fields if key.endswith("-score")})
        response = colleague.post(url, data=fields)
        if response.status_code != 302:
            raise SystemExit(f"colleague's session POST refused: HTTP {response.status_code}")

    return {
        "baseline page while colleagues save": timed(
            app, "busy baseline", baseline, runs, between=colleague_saves
        ),
        "caseload of a busy practice": timed(
            app, "busy caseload", caseload, runs, between=colleague_saves
        ),
    }
