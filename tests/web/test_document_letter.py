"""The GP letter says what is true: PHQ-15 out of its real maximum, and who referred."""

from __future__ import annotations

import html
import re
from datetime import date

from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_episode, make_gp, make_patient, make_user
from tests.phq15_factories import make_phq15
from tests.web.documents_seed import seed_reported_episode
from tests.web.pdf_text import page_texts
from therapy.extensions import db
from therapy.models import Document
from therapy.models.enums import Phq15Timepoint, Sex


def _letter(client, episode) -> tuple[str, str]:
    """The draft letter's PDF text and its plain text."""
    db.session.commit()
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    token = csrf_token_from(client.get(base).text)
    client.post(f"{base}/new", data={"csrf_token": token, "kind": "gp_letter"})
    document = db.session.scalars(select(Document).where(Document.kind == "gp_letter")).one()
    pdf = " ".join(page_texts(client.get(f"{base}/{document.id}/pdf").data))
    page = client.get(f"{base}/{document.id}").text
    plain = html.unescape(
        re.search(r'<textarea id="plain-text"[^>]*>(.*?)</textarea>', page, re.S)[1]
    )
    return pdf, plain


def test_a_mans_phq15_is_printed_out_of_28_with_its_band(app, login):
    therapist = make_user()
    gp = make_gp()
    patient = make_patient(therapist, sex=Sex.MALE, gp_id=gp.id)
    episode = make_episode(patient, referred_by_id=gp.id, gp_consent=True)
    # Item 4 is not applicable for a man: 17 of 28 and 5 of 28.
    make_phq15(episode, "222x22111111100", date(2026, 9, 1), Phq15Timepoint.BASELINE)
    make_phq15(episode, "111x11000000000", date(2026, 11, 1), Phq15Timepoint.END_OF_TREATMENT)
    pdf, plain = _letter(login(therapist), episode)
    assert "17 / 28 (high)" in pdf and "5 / 28 (low)" in pdf
    assert "0–30" not in pdf and "/ 30" not in pdf
    assert "PHQ-15: 17 / 28 (high) -> 5 / 28 (low). Reliably improved (−12 points)" in plain


def test_the_letter_says_who_referred_when_it_was_not_the_gp(app, login):
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    episode.referred_by_id = make_gp(name="Dr. K. Bakker (neurologist)").id
    pdf, plain = _letter(login(therapist), episode)
    assert "You referred" not in pdf
    assert "was referred to us on 30 December 2024 by Dr. K. Bakker (neurologist)" in pdf
    assert "Referred by Dr. K. Bakker (neurologist)" in pdf
    assert "Referred by: Dr. K. Bakker (neurologist), 30 December 2024" in plain
    assert "18 / 30 (high)" in pdf and "8 / 30 (low)" in pdf


def test_the_letter_thanks_the_gp_for_a_referral_of_their_own(app, login):
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    pdf, plain = _letter(login(therapist), episode)
    assert "You referred the patient below to us on 30 December 2024." in pdf
    assert "Referred by" not in pdf and "Referred by" not in plain


def test_the_report_does_not_claim_what_was_done_with_words_left_unsaid(app, login):
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    token = csrf_token_from(client.get(base).text)
    client.post(f"{base}/new", data={"csrf_token": token, "kind": "treatment_report"})
    document = db.session.scalars(select(Document)).one()
    text = " ".join(page_texts(client.get(f"{base}/{document.id}/pdf").data))
    assert "Something was left unsaid at 1 check-in." in text
    assert "taken up" not in text
