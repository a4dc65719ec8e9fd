"""Every page of both documents, for a short, a typical and a long episode: none mostly empty.

The pages are rendered with poppler (pdftoppm) into test-artifacts/ for a person to look at;
the test measures how much of each page's text area holds ink.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_session, make_user
from tests.web.documents_seed import STARTED, Texts, seed_reported_episode
from tests.web.pdf_text import ARTIFACTS
from therapy.extensions import db
from therapy.models import Document, FormulationEntry
from therapy.models.enums import Attendance, EpisodeStatus, FormulationFactor, ScebsDimension

# A page whose text area has ink on fewer than this share of its lines is "mostly empty".
MIN_FILLED = 0.25
LONG_CELL = "Worries that the symptoms mean a serious illness; checks the body often."


def _short(therapist):
    episode = seed_reported_episode(therapist)
    episode.status = EpisodeStatus.ACTIVE  # two sessions in: an interim letter
    episode.closed_on = episode.ending_reason = None
    for session in episode.sessions[2:]:
        db.session.delete(session)
    return episode


def _long(therapist):
    episode = seed_reported_episode(therapist, Texts(referral_question="Dizziness. " * 20))
    episode.planned_sessions = 12
    for number in (10, 11, 12):
        make_session(
            episode,
            number,
            held_on=STARTED + timedelta(weeks=number),
            attendance=Attendance.ATTENDED,
            duration_minutes=45,
            education_minutes=10,
            body_minutes=15,
            cognitive_minutes=10,
            activating_minutes=10,
            home_exercises="Walk to the station and back every day, breathing slowly.",
        )
    for dimension in ScebsDimension:
        for factor in FormulationFactor:
            db.session.add(
                FormulationEntry(
                    episode_id=episode.id,
                    dimension=dimension,
                    factor=factor,
                    text=f"{LONG_CELL} ({dimension.value}, {factor.value})",
                    created_by_id=therapist.id,
                )
            )
    return episode


EPISODES = {"short": _short, "typical": seed_reported_episode, "long": _long}


def _filled_shares(pdf: bytes, stem: str) -> list[float]:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{stem}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(ARTIFACTS / stem)], check=True)
    shares = []
    for png in sorted(ARTIFACTS.glob(f"{stem}-*.png")):
        image = Image.open(png).convert("L")
        width, height = image.size
        # The text area: inside the margins, without the running header and footer.
        top, bottom = int(height * 0.10), int(height * 0.91)
        left, right = int(width * 0.10), int(width * 0.90)
        rows = [
            any(image.getpixel((x, y)) < 200 for x in range(left, right, 2))
            for y in range(top, bottom)
        ]
        shares.append(sum(rows) / len(rows))
    return shares


@pytest.mark.parametrize("size", list(EPISODES))
def test_no_page_of_either_document_is_mostly_empty(app, login, size):
    therapist = make_user()
    episode = EPISODES[size](therapist)
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    for kind in ("treatment_report", "gp_letter"):
        token = csrf_token_from(client.get(base).text)
        client.post(f"{base}/new", data={"csrf_token": token, "kind": kind})
        db.session.expire_all()
        document = db.session.scalars(select(Document).where(Document.kind == kind)).one()
        for old in ARTIFACTS.glob(f"pages-{size}-{kind}-*.png"):
            old.unlink()
        shares = _filled_shares(
            client.get(f"{base}/{document.id}/pdf").data, f"pages-{size}-{kind}"
        )
        print(
            f"{size} {kind}: {len(shares)} pages, filled " + ", ".join(f"{s:.0%}" for s in shares)
        )
        assert all(share >= MIN_FILLED for share in shares), (size, kind, shares)
