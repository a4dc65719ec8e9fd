"""Gathering a document's data, and the documents pages, run a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_phq15, make_session, make_user
from tests.web.documents_seed import seed_reported_episode
from tests.web.query_count import counting_queries
from therapy.extensions import db
from therapy.i18n.locale import practice_language
from therapy.models import (
    AllianceCheckin,
    Document,
    FormulationEntry,
    GoalRating,
    SessionTechnique,
    TreatmentEpisode,
)
from therapy.models.enums import (
    FormulationFactor,
    Phq15Timepoint,
    ProtocolElement,
    RatingOccasion,
    ScebsDimension,
)
from therapy.services.documents.gather import EPISODE_LOAD_OPTIONS, gather_episode, practice_row


def _grow(episode: TreatmentEpisode) -> None:
    """Many more sessions, ratings, administrations and formulation entries."""
    for number in range(10, 31):
        session = make_session(episode, number, held_on=date(2025, 3, 1) + timedelta(days=number))
        session.techniques.append(
            SessionTechnique(element=ProtocolElement.BODY, technique="pacing")
        )
        session.alliance = AllianceCheckin(bond=7, goals=7, tasks=7)
        for goal in episode.goals:
            goal.ratings.append(
                GoalRating(occasion=RatingOccasion.REVIEW, rated_on=session.held_on, score=5)
            )
        make_phq15(
            episode,
            [1] * 15,
            timepoint=Phq15Timepoint.SESSION,
            day=session.held_on,
            session_id=session.id,
        )
        db.session.add(
            FormulationEntry(
                episode_id=episode.id,
                dimension=ScebsDimension.BEHAVIOURAL,
                factor=FormulationFactor.PERPETUATING,
                text=f"Factor {number}",
                created_by_id=episode.therapist_id,
            )
        )
    db.session.commit()


def _gather_queries(app, episode_id: int) -> int:
    db.session.remove()  # nothing cached in the identity map
    with app.test_request_context(), counting_queries() as statements:
        episode = db.session.scalar(
            select(TreatmentEpisode)
            .where(TreatmentEpisode.id == episode_id)
            .options(*EPISODE_LOAD_OPTIONS)
        )
        record = gather_episode(episode, practice_row(), date(2025, 6, 1))
    assert record.treatment.sessions
    return len(statements)


def test_gather_runs_a_fixed_number_of_queries(app):
    episode = seed_reported_episode(make_user())
    db.session.commit()
    practice_language()  # read once per context (a request has it from its login statement)
    small = _gather_queries(app, episode.id)
    _grow(db.session.get(TreatmentEpisode, episode.id))
    large = _gather_queries(app, episode.id)
    assert large == small
    assert 5 <= small <= 15, small


def _page_queries(client, url: str) -> int:
    with counting_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def test_documents_pages_run_a_fixed_number_of_queries(app, login):
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    token = csrf_token_from(client.get(base).text)
    client.post(f"{base}/new", data={"csrf_token": token, "kind": "gp_letter"})
    letter = db.session.scalar(select(Document))
    client.get(base)  # shows (and so clears) the draft's flash, which costs a write of its own
    urls = (base, f"{base}/{letter.id}", f"{base}/{letter.id}/preview", f"{base}/{letter.id}/pdf")
    small = {url: _page_queries(client, url) for url in urls}
    _grow(db.session.get(TreatmentEpisode, episode.id))
    large = {url: _page_queries(client, url) for url in urls}
    assert large == small
