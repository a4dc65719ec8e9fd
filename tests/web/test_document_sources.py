"""Both documents say who answered (issue 13, DOMAIN.md §9): the patient on the practice's
device, the patient by a personal link, or the therapist from paper."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.web.documents_seed import seed_reported_episode
from tests.web.pdf_text import ARTIFACTS, page_texts
from therapy.extensions import db
from therapy.models import Document
from therapy.models.enums import AnswerSource, Phq15Timepoint

DEVICE = "answered by the patient on the practice's device"
LINK = "answered by the patient with a personal link"
PAPER = "entered by the therapist from paper"


def _pdf(client, episode, kind: str) -> str:
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    token = csrf_token_from(client.get(base).text)
    assert client.post(f"{base}/new", data={"csrf_token": token, "kind": kind}).status_code == 302
    document = db.session.scalars(select(Document).where(Document.kind == kind)).one()
    pdf = client.get(f"{base}/{document.id}/pdf").data
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"sources-{kind}.pdf").write_bytes(pdf)
    # Lines are joined and the hyphens WeasyPrint adds at line breaks taken out.
    return " ".join(" ".join(page_texts(pdf)).replace("\u2010 ", "").split())


def test_the_report_and_the_letter_say_who_answered_each_measure(app, login) -> None:
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    end = next(
        a for a in episode.phq15_administrations if a.timepoint is Phq15Timepoint.END_OF_TREATMENT
    )
    end.source = AnswerSource.PATIENT_LINK
    low = next(s.alliance for s in episode.sessions if s.alliance and s.alliance.goals == 5)
    low.source = AnswerSource.PATIENT_DEVICE
    for goal in episode.goals:
        goal.ratings[-1].source = AnswerSource.PATIENT_LINK  # the end ratings, by link
    db.session.commit()
    client = login(therapist)

    report = _pdf(client, episode, "treatment_report")
    # Every PHQ-15 row: the baseline from paper, the end by the patient's link.
    assert f"Baseline (intake) {PAPER}" in report
    assert f"End of treatment {LINK}" in report or f"{LINK}" in report.split("PHQ-15 over time")[0]
    assert f"Who gave the ratings: 3 {LINK}, 3 {PAPER}." in report
    assert f"Who answered the check-ins: 1 {DEVICE}, 7 {PAPER}." in report
    # The flagged check-in (a goals rating of 5) was the patient's own, on the device.
    assert f"a rating of 5 or less; a drop of 2 points or more {DEVICE}" in report

    letter = _pdf(client, episode, "gp_letter")
    assert (
        f"Who answered: PHQ-15 baseline {PAPER}; PHQ-15 latest {LINK}; "
        f"PSFS ratings: 3 {LINK}, 3 {PAPER}." in letter
    )
