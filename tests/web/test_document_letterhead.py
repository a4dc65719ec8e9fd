"""Documents a GP files without a phone call: sender, addressee, identifiers, bottom line first."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.web.clinical import post_form
from tests.web.documents_seed import seed_reported_episode
from tests.web.pdf_text import page_texts
from therapy.extensions import db
from therapy.models import Document, Practice
from therapy.models.enums import EpisodeStatus, Role


@pytest.fixture
def seeded(app, login):
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    return client, base


def _pdf_text(client, base, kind: str) -> str:
    token = csrf_token_from(client.get(base).text)
    client.post(f"{base}/new", data={"csrf_token": token, "kind": kind})
    db.session.expire_all()
    document = db.session.scalars(select(Document).where(Document.kind == kind)).one()
    return " ".join(page_texts(client.get(f"{base}/{document.id}/pdf").data))


SENDER = ("Praktijk Zonnebloem", "Oudegracht 12", "3511 AB Utrecht", "030 123 4567")
SENDER_CODES = ("info@zonnebloem.example", "04987654")
IDENTIFIERS = ("BSN 111222333", "Kanaalstraat 80", "3531 AA Utrecht", "01234567", "04123456")


def test_the_letter_has_sender_addressee_and_every_identifier(seeded):
    client, base = seeded
    text = _pdf_text(client, base, "gp_letter")
    for words in (*SENDER, *SENDER_CODES, *IDENTIFIERS, "BIG register", "79012345601"):
        assert words in text, words


def test_the_report_has_the_letterhead_bsn_and_the_gps_address(seeded):
    client, base = seeded
    text = _pdf_text(client, base, "treatment_report")
    for words in (*SENDER, *SENDER_CODES, *IDENTIFIERS, "Zilveren Kruis"):
        assert words in text, words


def test_the_letter_gives_the_bottom_line_and_the_gps_actions_before_the_detail(seeded):
    client, base = seeded
    text = _pdf_text(client, base, "gp_letter")
    order = [
        "Dear colleague,",
        "Result and answer to the referral question",
        "She travels alone again",  # the result the therapist wrote
        "For the GP",
        "Time-contingent follow-up",
        "For the patient",
        "Patient and GP details",
        "Request for help and goals",
        "Treatment given",
        "Assessment scales",
        "Author and distribution",
    ]
    places = [text.index(words) for words in order]
    assert places == sorted(places), list(zip(order, places, strict=True))
    # Each goal with its outcome, baseline -> end, and the status it ended with.
    for row in ("Taking the train alone 2 8 Achieved", "Shopping on a Saturday 3 7 Achieved"):
        assert row in text, row
    # The advice for the patient is the close form's, not the GP's advice again.
    assert "walk to the station daily" in text


def test_the_letters_change_column_does_not_repeat_the_totals(seeded):
    client, base = seeded
    text = _pdf_text(client, base, "gp_letter")
    assert "18 / 30 (high) 8 / 30 (low) Reliably improved (−10 points)" in text
    assert "18 → 8" not in text
    assert "3,0 → 7,0" not in text and "3.0 → 7.0" not in text


def test_the_report_prints_the_final_home_exercise_programme_once(seeded):
    client, base = seeded
    text = _pdf_text(client, base, "treatment_report")
    assert text.count("Slow breathing 10 minutes twice a day.") == 1
    assert "Body scan five minutes each evening." not in text
    assert "It replaced 1 earlier programme" in text
    # Section 7 no longer repeats the PHQ-15 and PSFS lines printed in sections 2 and 5.
    result = text[text.index("7. Result") : text.index("8. Reason for ending")]
    assert "PHQ-15" not in result and "PSFS" not in result


def test_advice_for_the_gp_and_for_the_patient_are_printed_apart(seeded):
    client, base = seeded
    text = _pdf_text(client, base, "treatment_report")
    gp_part = text[text.index("Advice for the GP") : text.index("Advice for the patient")]
    assert "Time-contingent follow-up" in gp_part
    assert "walk to the station daily" in text[text.index("Advice for the patient") :]


def test_documents_are_in_the_practices_language_whatever_the_screen(seeded):
    client, base = seeded
    db.session.scalars(select(Practice)).one().language = "nl"
    db.session.commit()
    letter = _pdf_text(client, base, "gp_letter")
    for words in (
        "Geachte collega,",
        "Resultaat en antwoord op de verwijsvraag",
        "Voor de huisarts",
        "Voor de patiënt",
        "Meetinstrumenten",
        "18 / 30 (hoog)",
        "8 / 30 (laag)",
        "Betrouwbaar verbeterd (−10 punten)",
        "geboren op 17 mei 1979",
        "BSN 111222333",
    ):
        assert words in letter, words
    report = _pdf_text(client, base, "treatment_report")
    for words in ("Behandelverslag", "Hulpvraag", "verklaringsmodel", "2,0", "8,0"):
        assert words.lower() in report.lower(), words


def test_the_practice_details_are_checked_and_kept(app, client, login):
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    login(admin)
    url = "/admin/settings/practice"
    data = {
        "name": "Praktijk Zonnebloem",
        "address": "Oudegracht 12",
        "postcode": "3511ab",
        "town": "Utrecht",
        "phone": "030 123 4567",
        "email": "info@zonnebloem.example",
        "agb_code": "0498 7654",
    }
    bad = post_form(client, url, data | {"postcode": "351 AB", "agb_code": "1234567"})
    assert bad.status_code == 200
    assert "A Dutch postcode is four digits and two letters" in bad.text
    assert "An AGB code is eight digits" in bad.text
    assert "Oudegracht 12" in bad.text, "what was typed stays in the form"
    assert db.session.scalar(select(Practice)) is None
    post_form(client, url, data)
    practice = db.session.scalars(select(Practice)).one()
    kept = (practice.postcode, practice.agb_code, practice.town)
    assert kept == ("3511 AB", "04987654", "Utrecht")


def test_a_therapist_records_register_number_and_agb_code(app, client, login):
    therapist = make_user()
    db.session.commit()
    login(therapist)
    url = "/account/registration"
    bad = post_form(client, url, {"registration_register": "krp", "agb_code": "12AB5678"})
    assert "An AGB code is eight digits" in bad.text
    post_form(
        client,
        url,
        {"registration_register": "krp", "registration_number": "KP-123", "agb_code": "90123456"},
    )
    db.session.refresh(therapist)
    assert (therapist.registration_register, therapist.agb_code) == ("krp", "90123456")


def test_a_letter_during_treatment_is_a_short_interim_report_with_its_own_heading(app, login):
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    episode.status = EpisodeStatus.ACTIVE
    episode.closed_on = None
    episode.ending_reason = None
    db.session.scalars(select(Practice)).one().language = "nl"
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    token = csrf_token_from(client.get(base).text)
    client.post(f"{base}/new", data={"csrf_token": token, "kind": "gp_letter"})
    db.session.expire_all()
    letter = db.session.scalars(select(Document)).one()
    pages = page_texts(client.get(f"{base}/{letter.id}/pdf").data)
    text = " ".join(pages)
    for words in (
        "Tussentijds verslag, psychosomatische therapie",
        "dit is een tussentijds verslag (8 van 9 geplande behandelingen gegeven)",
        "Voortgang tot nu toe en antwoord op de verwijsvraag",
        "Voor de huisarts",
        "18 / 30 (hoog)",
        "Tussentijds verslag aan de huisarts · versie 1",
    ):
        assert words in text, words
    assert "Reden van beëindiging" not in text and "Eindverslag" not in text
    assert len(pages) <= 2, "short"
