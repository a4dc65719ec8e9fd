"""The report on paper: a running header on every page, nothing stranded, no odd breaks."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.web.documents_seed import Texts, seed_reported_episode
from tests.web.pdf_text import normalise
from therapy.extensions import db
from therapy.models import Document

# Long enough to push the formulation grid to the foot of page 1 (as it was when found).
LONG = Texts(
    referral_question=(
        "Persistent dizziness without a medical cause for two years, worse on platforms and "
        "in shops; several neurological and cardiological examinations found nothing. "
    )
    * 6,
    request_for_help=(
        "I want to take the train to work on my own again, and go shopping on Saturdays "
        "with my children without having to sit down every ten minutes. "
    )
    * 3,
)


def _report_pages(login, texts: Texts | None = None) -> list[str]:
    """The raw text of each page of a draft treatment report of the seeded episode."""
    therapist = make_user()
    episode = seed_reported_episode(therapist, texts or Texts())
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    token = csrf_token_from(client.get(base).text)
    client.post(f"{base}/new", data={"csrf_token": token, "kind": "treatment_report"})
    document = db.session.scalars(select(Document)).one()
    reader = PdfReader(io.BytesIO(client.get(f"{base}/{document.id}/pdf").data))
    return [page.extract_text() or "" for page in reader.pages]


def test_every_page_has_practice_patient_record_and_confidential(app, login):
    pages = [normalise(page) for page in _report_pages(login)]
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        for words in ("Praktijk Zonnebloem", "S.V.D.B. · record R", "CONFIDENTIAL"):
            assert words in text, f"page {number}: {words}"


def test_the_signature_keeps_the_last_section_with_it(app, login):
    pages = [normalise(page) for page in _report_pages(login)]
    [signed] = [text for text in pages if "Profession" in text]
    assert "9. Relapse prevention and advice" in signed
    assert "Time-contingent follow-up" in signed


def test_the_formulation_heading_goes_with_its_grid_and_our_words_are_not_hyphenated(app, login):
    raw = _report_pages(login, LONG)
    pages = [normalise(page) for page in raw]
    [heading] = [text for text in pages if "3. Explanation model" in text]
    for words in ("Predisposing", "Somatic", "Viral labyrinthitis", "Social"):
        assert words in heading, words
    text = " ".join(pages)
    assert "Complete: sum of 15 items (0–30)" in text and "(0– 30)" not in text
    # A hyphen (or U+2010) at a line end inside our own labels would be a hyphenation.
    broken = re.compile(r"(treat|Base|in|Pre|Perpet|Protec|Attend|Dura)[\u2010\u00ad-]\s*\n")
    assert not [m.group(0) for page in raw for m in broken.finditer(page)]
