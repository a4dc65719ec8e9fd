"""The treatment report and the GP letter: content, consent, lifecycle and the stored PDF."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.documents_seed import seed_reported_episode
from tests.web.pdf_text import ARTIFACTS, first_page_png, font_names, page_texts
from therapy.extensions import db
from therapy.models import Document, Phq15Administration, TreatmentEpisode
from therapy.models.enums import DocumentStatus
from therapy.services.documents.gather import EPISODE_LOAD_OPTIONS, gather_episode, practice_row

REPORT_HEADINGS = (
    "Treatment report",
    "1. Patient and referral",
    "Referral question",
    "2. Request for help and goals",
    "Goals: Patient-Specific Functional Scale, baseline → end",
    "3. Explanation model: 4P × SCEBS formulation",
    "4. Treatment given",
    "Minutes per element in each session",
    "Home exercises",
    "5. PHQ-15: somatic symptoms over time",
    "6. Therapeutic alliance",
    "7. Result",
    "8. Reason for ending",
    "9. Relapse prevention and advice",
)
LETTER_HEADINGS = (
    "Patient and GP details",
    "Referral question",
    "Request for help and goals",
    "Summary of the formulation",
    "Treatment given",
    "Assessment scales",
    "Result and answer to the referral question",
    "Reason for ending",
    "Plan and requested actions",
    "For the GP",
    "For the patient",
    "Agreed with the patient:",
    "Author and distribution",
)


@pytest.fixture
def seeded(app, login):
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    return client, base, episode


def _token(client, base) -> str:
    return csrf_token_from(client.get(base).text)


def _start(client, base, kind: str) -> Document:
    response = client.post(f"{base}/new", data={"csrf_token": _token(client, base), "kind": kind})
    assert response.status_code == 302
    db.session.expire_all()
    return db.session.scalars(
        select(Document).where(Document.kind == kind).order_by(Document.version.desc())
    ).first()


def _finalise(client, base, document: Document, **extra):
    page = client.get(f"{base}/{document.id}").text
    fingerprint = re.search(
        r'id="fingerprint" name="fingerprint" type="hidden" value="([^"]+)"', page
    )
    data = {"csrf_token": csrf_token_from(page), "confirm": "y", "fingerprint": fingerprint[1]}
    return client.post(f"{base}/{document.id}/finalise", data=data | extra)


def _pdf(client, base, document: Document) -> bytes:
    response = client.get(f"{base}/{document.id}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    return response.data


def test_treatment_report_has_every_heading_and_the_key_values(seeded):
    client, base, _episode = seeded
    pdf = _pdf(client, base, _start(client, base, "treatment_report"))
    pages = page_texts(pdf)
    text = " ".join(pages)
    assert len(pages) >= 3, "the report runs over several pages"
    for heading in REPORT_HEADINGS:
        assert heading in text, heading
    for value in (
        "Sophie van den Berg",
        "17 May 1979",
        "Dr. P. de Wit",
        "Persistent dizziness without a medical cause",
        "I want to take the train to work on my own again.",
        "Taking the train alone",
        "Fear that dizziness means a stroke.",
        "8 of 9 planned sessions held",  # session 5 was cancelled
        "Slow breathing 10 minutes twice a day.",
        "18 / 30",
        "8 / 30",
        "She travels alone again",
        "Notice early tension",
        "Time-contingent follow-up",
        "Goals reached",
        "Marieke Jansen",
        "BIG 79012345601",
        "not a validated instrument",
    ):
        assert value in text, value
    # PSFS means over three goals: (2+3+4)/3 = 3.0 at baseline, (8+7+6)/3 = 7.0 at the end.
    assert "PSFS mean 3.0 → 7.0" in text
    assert "a clinically important improvement (2.0 points or more)" in text
    # PHQ-15 18 -> 8 is a fall of 10 points: past the reliable change of 5, and now below 10.
    assert "Reliably improved" in text and "recovered" in text
    # 8 sessions x 45 minutes on the four elements.
    assert "360 minutes" in text
    # The alliance check-in at session 7 had a rating of 5 and a drop of 3 points.
    assert "a rating of 5 or less" in text and "a drop of 2 points or more" in text
    assert "Withdrawn factor" not in text
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in page
        assert "CONFIDENTIAL" in page
    assert "S.V.D.B. · record" in pages[1]  # initials and record number from page 2 on
    assert "Praktijk Zonnebloem" in pages[1]
    assert "DRAFT" in pages[0]
    png = first_page_png(pdf, "treatment-report")
    assert png.stat().st_size > 20_000


def test_gp_letter_is_addressed_to_the_gp_and_has_every_heading(seeded):
    client, base, _episode = seeded
    pdf = _pdf(client, base, _start(client, base, "gp_letter"))
    pages = page_texts(pdf)
    text = " ".join(pages)
    assert 1 <= len(pages) <= 2
    for heading in LETTER_HEADINGS:
        assert heading in text, heading
    address = text.index("Dr. P. de Wit Huisartsenpraktijk Lombok Kanaalstraat 80 3531 AA Utrecht")
    assert address < text.index("Dear colleague")
    for value in (
        "Sophie van den Berg",
        "Persistent dizziness without a medical cause",
        "Perpetuating: Fear that dizziness means a stroke.",  # prefilled summary
        "8 of 9 planned sessions held",
        "18 / 30 (high)",
        "8 / 30 (low)",
        "Reliably improved",
        "She travels alone again",  # prefilled result
        "Time-contingent follow-up",  # prefilled advice to the GP
        "Slow breathing 10 minutes twice a day.",  # home exercises for the patient
        "Marieke Jansen",
        "Copy: patient record",
        "Sent with the patient’s consent",
    ):
        assert value in text, value
    png = first_page_png(pdf, "gp-letter")
    assert png.stat().st_size > 20_000


def test_pdfs_use_only_the_bundled_font(seeded):
    client, base, _episode = seeded
    for kind in ("treatment_report", "gp_letter"):
        pdf = _pdf(client, base, _start(client, base, kind))
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"fonts-{kind}.pdf"
        path.write_bytes(pdf)
        names = font_names(path)
        assert names and all(name.startswith("Report-Sans") for name in names), names


def test_no_consent_no_letter(seeded):
    client, base, episode = seeded
    episode.gp_consent = None
    episode.gp_consent_recorded_at = None
    episode.gp_consent_recorded_by_id = None
    db.session.commit()
    page = client.get(base).text
    assert "Not recorded yet" in page
    response = client.post(
        f"{base}/new",
        data={"csrf_token": csrf_token_from(page), "kind": "gp_letter"},
        follow_redirects=True,
    )
    assert "Record the patient&#39;s consent to inform the GP first" in response.text
    assert db.session.scalars(select(Document)).all() == []
    # The patient says no: still no letter.
    token = csrf_token_from(client.get(base).text)
    client.post(f"{base}/consent", data={"csrf_token": token, "consent": "no", "version": 1})
    db.session.expire_all()
    assert episode.gp_consent is False and episode.gp_consent_recorded_by_id is not None
    client.post(f"{base}/new", data={"csrf_token": token, "kind": "gp_letter"})
    assert db.session.scalars(select(Document)).all() == []
    # The patient agrees: now there is a letter.
    client.post(f"{base}/consent", data={"csrf_token": token, "consent": "yes", "version": 2})
    letter = _start(client, base, "gp_letter")
    assert letter is not None and letter.kind.value == "gp_letter"


def test_withdrawn_consent_stops_the_draft_letter(seeded):
    client, base, episode = seeded
    letter = _start(client, base, "gp_letter")
    episode.gp_consent = False
    db.session.commit()
    response = client.get(f"{base}/{letter.id}/pdf")
    assert response.status_code == 302 and response.mimetype != "application/pdf"
    detail = client.get(f"{base}/{letter.id}").text
    assert "there is no letter to show" in detail
    assert "Download PDF" not in detail


def test_letter_text_is_prefilled_edited_and_printed(seeded):
    client, base, _episode = seeded
    letter = _start(client, base, "gp_letter")
    assert "Fear that dizziness means a stroke" in letter.content["summary"]
    assert letter.content["agreed_with_patient"] is None
    page = client.get(f"{base}/{letter.id}").text
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([^"]+)"', page)[1]
    form = {
        "csrf_token": csrf_token_from(page),
        "fingerprint": fingerprint,
        "summary": "Dizziness kept going by fear and avoidance.",
        "result": "Travels alone; the referral question is answered.",
        "advice_gp": "Please see her again in three months.",
        "advice_patient": "Keep up the breathing exercise.",
        "agreed_with_patient": "yes",
        "submit": "Save the letter",
    }
    assert client.post(f"{base}/{letter.id}", data=form).status_code == 302
    # A second save from the same (now outdated) form overwrites nothing.
    stale = client.post(f"{base}/{letter.id}", data=form | {"summary": "Overwritten?"})
    assert "changed or finalised meanwhile" in stale.text
    assert "Overwritten?" in stale.text  # the typed text is kept in the form
    db.session.expire_all()
    assert letter.content["summary"] == "Dizziness kept going by fear and avoidance."
    assert letter.content["agreed_with_patient"] is True
    text = " ".join(page_texts(_pdf(client, base, letter)))
    for words in ("fear and avoidance", "the referral question is answered", "three months"):
        assert words in text
    assert "Agreed with the patient: yes" in text
    plain = client.get(f"{base}/{letter.id}").text
    assert "SUMMARY OF THE FORMULATION" in plain and "fear and avoidance" in plain


def test_a_letter_is_only_finalised_once_agreement_is_stated(seeded):
    client, base, _episode = seeded
    letter = _start(client, base, "gp_letter")
    refused = _finalise(client, base, letter)
    assert refused.status_code == 302
    db.session.expire_all()
    assert letter.status == DocumentStatus.DRAFT


def test_final_download_is_byte_identical_after_the_data_changed(seeded):
    client, base, episode = seeded
    report = _start(client, base, "treatment_report")
    assert _finalise(client, base, report).status_code == 302
    db.session.expire_all()
    assert report.status == DocumentStatus.FINAL
    first = _pdf(client, base, report)
    assert hashlib.sha256(first).hexdigest() == report.sha256
    assert report.snapshot["record"]["patient"]["full_name"] == "Sophie van den Berg"
    assert report.snapshot["meta"]["final"] is True
    # The record changes after finalising ...
    episode = db.session.get(TreatmentEpisode, episode.id)
    episode.outcome = "Rewritten afterwards."
    episode.patient.family_name = "Renamed"
    make_session(episode, 10, held_on=date(2025, 4, 1))
    db.session.commit()
    second = _pdf(client, base, report)
    # ... but the final document does not.
    assert second == first
    assert "Rewritten afterwards." not in " ".join(page_texts(second))
    assert client.get(f"{base}/{report.id}/preview").text.count("This version is final") == 1
    # Finalising again is refused.
    page = client.get(f"{base}/{report.id}").text
    client.post(
        f"{base}/{report.id}/finalise",
        data={"csrf_token": csrf_token_from(page), "confirm": "y", "fingerprint": "x" * 64},
    )
    assert _pdf(client, base, report) == first


def test_a_correction_is_a_new_version_pointing_to_the_old_one(seeded):
    client, base, _episode = seeded
    first = _start(client, base, "treatment_report")
    _finalise(client, base, first)
    # A second draft while the first is open is not possible; after finalising it is a correction.
    correction = _start(client, base, "treatment_report")
    assert correction.id != first.id
    assert (correction.version, correction.supersedes_id) == (2, first.id)
    assert _start(client, base, "treatment_report").id == correction.id  # no third version
    _finalise(client, base, correction)
    db.session.expire_all()
    text = " ".join(page_texts(_pdf(client, base, correction)))
    assert "corrects and replaces version 1" in text
    assert first.sha256[:16] in text
    listing = client.get(base).text
    for document in (first, correction):
        assert document.sha256 in listing
    assert "replaced by a correction" in listing and "corrects an earlier version" in listing
    assert listing.count("Final</span>") == 2


def test_preview_shows_the_same_template_without_the_screen_layout(seeded):
    client, base, _episode = seeded
    report = _start(client, base, "treatment_report")
    page = client.get(f"{base}/{report.id}/preview")
    assert page.status_code == 200
    assert "Minutes per element in each session" in page.text
    assert "site-header" not in page.text  # not base.html
    assert 'href="/documents/print.css"' in page.text
    assert "<svg" in page.text  # the PHQ-15 chart, inline
    css = client.get("/documents/print.css")
    assert css.mimetype == "text/css" and "/static/fonts/DejaVuSans.woff" in css.text
    assert "bundled:" not in css.text


def test_documents_of_an_episode_with_nothing_recorded_yet(app, login):
    therapist = make_user()
    patient = make_patient(therapist, gp_id=None)
    episode = make_episode(
        patient, referral_question="", request_for_help="", gp_consent=True, planned_sessions=6
    )
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{patient.id}/episodes/{episode.id}/documents"
    report = " ".join(page_texts(_pdf(client, base, _start(client, base, "treatment_report"))))
    for words in (
        "No referral question was recorded.",
        "No PSFS goals were recorded.",
        "No factors have been recorded in the formulation.",
        "No sessions have been recorded.",
        "No PHQ-15 has been recorded.",
        "No alliance check-in has been recorded.",
        "The result has not been recorded yet.",
        "this is an interim report",
        "0 of 6 planned sessions held",
    ):
        assert words in report, words
    letter = " ".join(page_texts(_pdf(client, base, _start(client, base, "gp_letter"))))
    assert "The patient’s GP has not been recorded." in letter
    assert "No baseline PHQ-15 has been recorded, so change cannot be judged." in letter


def test_phq15_change_uses_the_practice_settings(app):
    episode = seed_reported_episode(make_user())
    end = db.session.scalar(
        select(Phq15Administration).where(Phq15Administration.timepoint == "end_of_treatment")
    )
    end.total, end.item_01 = 14, 2  # 18 -> 14: four points down
    db.session.commit()
    loaded = db.session.get(TreatmentEpisode, episode.id, options=EPISODE_LOAD_OPTIONS)
    with app.test_request_context():
        # Defaults (DOMAIN.md §3): MCID 3, reliable change 5 -> only "improved".
        assert gather_episode(loaded, None, date(2025, 6, 1)).phq15.change.startswith("Improved")
        # A practice with its own baseline SD of 2.0: RC95 = 1.96 * √2 * 2.0 * √0.2 = 2.5 -> 3.
        practice = practice_row()
        practice.phq15_sd = 2.0
        record = gather_episode(loaded, practice, date(2025, 6, 1))
    assert record.phq15.reliable_change == 3
    assert record.phq15.change.startswith("Reliably improved")
