"""Formulation and documents forms: hostile values give a message or a redirect, never a 500."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.web.documents_seed import seed_reported_episode
from therapy.extensions import db
from therapy.models import Document, FormulationEntry, FormulationRevision, TreatmentEpisode
from therapy.models.enums import DocumentKind, EpisodeStatus

VALUES = ("", "x" * 5000, "\x00", "99999999999999999999999", "-1", "0", "<script>", "é" * 300)
FIELDS = (
    "text",
    "session_id",
    "dimension",
    "factor",
    "version",
    "kind",
    "consent",
    "summary",
    "result",
    "advice_gp",
    "advice_patient",
    "agreed_with_patient",
    "fingerprint",
    "confirm",
    "submit",
    "refill",
)


def test_hostile_values_in_every_field_never_cause_a_server_error(app, login):
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    episode.status = EpisodeStatus.ACTIVE
    episode.closed_on = None
    episode.ending_reason = None
    letter = Document(
        episode_id=episode.id,
        kind=DocumentKind.GP_LETTER,
        author_id=therapist.id,
        content={"summary": "Draft"},
    )
    db.session.add(letter)
    db.session.commit()
    entry = db.session.scalar(
        select(FormulationEntry).where(FormulationEntry.withdrawn_at.is_(None))
    )
    client = login(therapist)
    root = f"/patients/{episode.patient_id}/episodes/{episode.id}"
    urls = (
        f"{root}/formulation/new",
        f"{root}/formulation/{entry.id}/edit",
        f"{root}/formulation/{entry.id}/withdraw",
        f"{root}/documents/consent",
        f"{root}/documents/new",
        f"{root}/documents/{letter.id}",
        f"{root}/documents/{letter.id}/finalise",
    )
    token = csrf_token_from(client.get(f"{root}/documents").text)
    posts = 0
    for url in urls:
        for value in VALUES:
            response = client.post(url, data={"csrf_token": token} | dict.fromkeys(FIELDS, value))
            posts += 1
            assert response.status_code in (200, 302), (url, value[:20], response.status_code)
    # Valid forms but for one huge number, which must not reach the database either.
    huge = "9" * 25
    for url, data in (
        (f"{root}/documents/consent", {"consent": "yes", "version": huge}),
        (f"{root}/formulation/{entry.id}/edit", {"text": "New", "session_id": 0, "version": huge}),
        (f"{root}/formulation/{entry.id}/withdraw", {"version": huge}),
        (
            f"{root}/formulation/new",
            {"text": "New", "dimension": "social", "factor": "protective", "session_id": huge},
        ),
    ):
        response = client.post(url, data={"csrf_token": token} | data)
        assert response.status_code in (200, 302), (url, response.status_code)
    db.session.expire_all()
    # Nothing hostile was stored: no new entries or revisions, the letter is still a draft.
    assert db.session.scalar(select(func.count()).select_from(FormulationRevision)) == 0
    assert db.session.get(Document, letter.id).content == {"summary": "Draft"}
    assert db.session.get(TreatmentEpisode, episode.id).version == 1
    assert posts == len(urls) * len(VALUES)
