"""Voiding a PHQ-15 the patient answered (issue 13): a reason, audited, counted nowhere after."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_episode, make_patient, make_user
from tests.phq15_factories import answers, make_phq15
from tests.web.pdf_text import page_texts
from therapy.extensions import db
from therapy.models import AuditEvent, Document, Phq15Administration
from therapy.models.enums import AnswerSource, AuditAction, Sex
from therapy.models.enums import Phq15Timepoint as T
from therapy.services.phq15.records import record_administration

SEP, NOV = date(2026, 9, 1), date(2026, 11, 1)
REASON = "Filled in by her partner in the waiting room, not by the patient"


def _patient_answered(episode, codes: str, day: date, timepoint: T) -> Phq15Administration:
    return record_administration(
        episode,
        episode.patient.sex,
        answers(codes),
        timepoint=timepoint,
        administered_on=day,
        today=date.max,
        entered_by_id=episode.therapist_id,
        source=AnswerSource.PATIENT_LINK,
    )


@pytest.fixture
def mine(app, login):
    therapist = make_user()
    episode = make_episode(make_patient(therapist, sex=Sex.FEMALE), gp_consent=True)
    make_phq15(episode, "111111111111111", SEP, T.BASELINE)  # 15, from paper
    # The patient's end-of-treatment answers: 0 would read as "recovered".
    voidable = _patient_answered(episode, "000000000000000", NOV, T.END_OF_TREATMENT)
    db.session.commit()
    return login(therapist), therapist, episode, voidable


def _url(episode, administration_id: int, tail: str = "") -> str:
    return f"/patients/{episode.patient_id}/episodes/{episode.id}/phq15/{administration_id}{tail}"


def _void(client, episode, administration_id: int, reason: str):
    url = _url(episode, administration_id, "/void")
    token = csrf_token_from(client.get(url).text)
    return client.post(url, data={"csrf_token": token, "reason": reason})


def _pdf_text(client, episode, kind: str) -> str:
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    token = csrf_token_from(client.get(base).text)
    assert client.post(f"{base}/new", data={"csrf_token": token, "kind": kind}).status_code == 302
    document = db.session.scalars(select(Document).where(Document.kind == kind)).one()
    return " ".join(page_texts(client.get(f"{base}/{document.id}/pdf").data))


def test_a_reason_is_required_and_nothing_changes_without_one(mine) -> None:
    client, _therapist, episode, voidable = mine
    page = client.get(_url(episode, voidable.id)).text
    assert "Void these answers" in page
    response = _void(client, episode, voidable.id, "   ")
    assert response.status_code == 200 and "This is needed." in response.text
    db.session.expire_all()
    assert db.session.get(Phq15Administration, voidable.id).voided_at is None


def test_a_voided_phq15_counts_nowhere_but_stays_visible_with_its_reason(mine) -> None:
    client, therapist, episode, voidable = mine
    before = html.unescape(
        client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}/phq15").text
    )
    assert "Reliably improved: 15 → 0" in before
    response = _void(client, episode, voidable.id, REASON)
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Phq15Administration, voidable.id)
    assert saved.voided_at is not None and saved.voided_by_id == therapist.id
    assert saved.void_reason == REASON
    assert saved.total == 0 and saved.item_01 == 0  # the patient's answers are untouched

    screen = html.unescape(
        client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}/phq15").text
    )
    assert "15 → 0" not in screen and "Reliably improved" not in screen
    assert "Voided answers" in screen and REASON in screen
    episode_page = html.unescape(
        client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}").text
    )
    assert REASON in episode_page and "15 → 0" not in episode_page
    detail = html.unescape(client.get(_url(episode, voidable.id)).text)
    assert "Voided on" in detail and REASON in detail and "Void these answers" not in detail

    report = _pdf_text(client, episode, "treatment_report")
    letter = _pdf_text(client, episode, "gp_letter")
    for text in (report, letter):
        assert "15 → 0" not in text and "0 / 30" not in text
        assert "Only the baseline PHQ-15 has been measured so far" in text

    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.UPDATE,
            AuditEvent.object_type == "phq15_administration",
            AuditEvent.object_id == voidable.id,
        )
    ).one()
    assert event.user_id == therapist.id and event.patient_id == episode.patient_id


def test_voiding_twice_or_voiding_a_paper_entry_is_refused(mine) -> None:
    client, _therapist, episode, voidable = mine
    assert _void(client, episode, voidable.id, REASON).status_code == 302
    again = _void(client, episode, voidable.id, "Another reason")
    assert again.status_code == 200 and "already voided" in again.text
    db.session.expire_all()
    assert db.session.get(Phq15Administration, voidable.id).void_reason == REASON
    paper = db.session.scalars(
        select(Phq15Administration).where(
            Phq15Administration.source == AnswerSource.THERAPIST_PAPER
        )
    ).one()
    assert "Void these answers" not in client.get(_url(episode, paper.id)).text
    refused = _void(client, episode, paper.id, REASON)
    assert "entered by the therapist from paper" in refused.text
    db.session.expire_all()
    assert db.session.get(Phq15Administration, paper.id).voided_at is None


def test_a_voided_end_of_treatment_leaves_room_for_a_retake_and_its_alert_returns(mine) -> None:
    client, _therapist, episode, voidable = mine
    _void(client, episode, voidable.id, REASON)
    from therapy.services.phq15.alerts import end_of_treatment_missing

    assert end_of_treatment_missing(episode.id) is not None  # the void left no end measure
    retake = _patient_answered(episode, "111111111111100", NOV, T.END_OF_TREATMENT)  # 13
    db.session.commit()
    assert retake.total == 13 and end_of_treatment_missing(episode.id) is None


def test_another_therapist_cannot_void(app, mine, login) -> None:
    _client, _therapist, episode, voidable = mine
    other = login(make_user(), test_client=app.test_client())
    assert other.get(_url(episode, voidable.id, "/void")).status_code == 404


def test_a_voided_phq15_leaves_the_exports(mine) -> None:
    """The FHIR record and the research data read the same rows: a void is not an answer."""
    from therapy.exports.records import iter_records

    client, _therapist, episode, voidable = mine

    def exported() -> set[int]:
        (record,) = next(iter_records([episode.patient_id]))
        return {row.id for e in record.episodes for row in e.phq15}

    assert voidable.id in exported()
    _void(client, episode, voidable.id, REASON)
    db.session.expire_all()
    assert voidable.id not in exported() and len(exported()) == 1


def test_the_void_form_speaks_dutch(app, login) -> None:
    therapist = make_user(language="nl")
    episode = make_episode(make_patient(therapist, sex=Sex.FEMALE))
    voidable = _patient_answered(episode, "000000000000000", NOV, T.END_OF_TREATMENT)
    db.session.commit()
    client = login(therapist)
    page = html.unescape(client.get(_url(episode, voidable.id, "/void")).text)
    assert "De PHQ-15 van 1 november 2026 ongeldig verklaren" in page
    assert "Deze antwoorden ongeldig verklaren" in page and "Reden" in page
    assert "door de patiënt ingevuld met een persoonlijke link" in page
    assert "Void these answers" not in page


def test_a_void_from_a_second_tab_at_the_same_moment_is_refused(app, mine) -> None:
    """Both tabs read the PHQ-15 before either voided it: the second void is refused and the
    first reason stays."""
    from datetime import UTC, datetime

    from therapy.services.phq15.void import VoidRefused, void_administration

    client, therapist, episode, voidable = mine
    seen = db.session.get(Phq15Administration, voidable.id)
    assert seen.voided_at is None
    db.session.expunge(seen)  # this tab's copy, read before the other tab's void
    assert _void(client, episode, voidable.id, REASON).status_code == 302  # the other tab
    db.session.add(seen)
    with pytest.raises(VoidRefused):
        void_administration(seen, "second tab", voided_by_id=therapist.id, now=datetime.now(UTC))
    db.session.rollback()
    assert db.session.get(Phq15Administration, voidable.id).void_reason == REASON


def test_the_fhir_record_sends_a_voided_phq15_as_entered_in_error(mine) -> None:
    """The response and each Observation of a voided PHQ-15 say entered-in-error; the paper
    baseline stays as it was."""
    import json

    from fhir.resources.bundle import Bundle

    from therapy.exports.fhir.bundle import patient_bundle

    client, _therapist, episode, voidable = mine
    _void(client, episode, voidable.id, REASON)
    db.session.expire_all()
    bundle = Bundle.parse_raw(json.dumps(patient_bundle(episode.patient_id, "https://x.example")))
    resources = [e.resource for e in bundle.entry]
    statuses: dict[str, set[str]] = {}
    for resource in resources:
        if resource.id.startswith("phq15-"):
            administration = resource.id.split("-")[1]
            statuses.setdefault(administration, set()).add(resource.status)
    paper = db.session.scalars(
        select(Phq15Administration.id).where(Phq15Administration.id != voidable.id)
    ).one()
    assert statuses == {
        str(voidable.id): {"entered-in-error"},
        str(paper): {"completed", "final"},
    }
    (total,) = [r for r in resources if r.id == f"phq15-{voidable.id}-total"]
    assert total.note[0].text == f"Voided: {REASON}" and total.valueQuantity.value == 0
