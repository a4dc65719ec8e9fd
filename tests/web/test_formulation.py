"""The 4P x SCEBS formulation grid: add, edit with history, withdraw, conflicts, read-only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_episode, make_patient, make_session, make_user
from tests.web.query_count import counting_queries
from therapy.extensions import db
from therapy.models import FormulationEntry, FormulationRevision
from therapy.models.enums import EndingReason, EpisodeStatus


@pytest.fixture
def setting(app, login):
    therapist = make_user(full_name="Ilse Bakker")
    patient = make_patient(therapist)
    episode = make_episode(patient)
    first, second = make_session(episode, 1), make_session(episode, 2)
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{patient.id}/episodes/{episode.id}/formulation"
    return client, base, therapist, patient, episode, (first, second)


def _entries():
    db.session.expire_all()
    return db.session.scalars(select(FormulationEntry).order_by(FormulationEntry.id)).all()


def _add(client, base, text, dimension="cognitive", factor="perpetuating", session_id=0):
    page = client.get(f"{base}/new?dimension={dimension}&factor={factor}")
    assert page.status_code == 200
    return client.post(
        f"{base}/new",
        data={
            "csrf_token": csrf_token_from(page.text),
            "dimension": dimension,
            "factor": factor,
            "text": text,
            "session_id": session_id,
        },
    )


def _edit(client, base, entry_id, text, version, session_id=0, token=None):
    if token is None:
        token = csrf_token_from(client.get(f"{base}/{entry_id}/edit").text)
    return client.post(
        f"{base}/{entry_id}/edit",
        data={"csrf_token": token, "text": text, "version": version, "session_id": session_id},
    )


def test_grid_has_five_dimensions_by_four_factors(setting):
    client, base, *_ = setting
    page = client.get(base)
    assert page.status_code == 200
    for word in ("Somatic", "Cognitive", "Emotional", "Behavioural", "Social"):
        assert f'<th scope="row">{word}</th>' in page.text
    for word in ("Predisposing", "Precipitating", "Perpetuating", "Protective"):
        assert word in page.text
    assert page.text.count("+ Add") == 20


def test_add_entry_lands_in_its_cell_with_its_session(setting):
    client, base, therapist, _, _episode, (_first, second) = setting
    response = _add(client, base, "Believes pain means damage", session_id=second.id)
    assert response.status_code == 302
    [entry] = _entries()
    assert (entry.dimension.value, entry.factor.value) == ("cognitive", "perpetuating")
    assert entry.session_id == second.id
    assert entry.created_by_id == therapist.id
    grid = client.get(base).text
    assert "Believes pain means damage" in grid
    assert "Session 2" in grid


def test_add_entry_refuses_a_session_of_another_episode(setting):
    client, base, _, patient, _, _ = setting
    other_episode = make_episode(
        patient, started_on=date(2020, 1, 6), referral_date=date(2020, 1, 1)
    )
    foreign = make_session(other_episode, 1)
    db.session.commit()
    response = _add(client, base, "Works long hours", session_id=foreign.id)
    assert response.status_code == 200
    assert "field__error" in response.text
    assert "Works long hours" in response.text  # what was typed stays in the form
    assert _entries() == []


def test_add_entry_needs_text_and_a_real_cell(setting):
    client, base, *_ = setting
    empty = _add(client, base, "   ")
    assert empty.status_code == 200 and "This field is required" in empty.text
    bad_cell = _add(client, base, "Something", dimension="spiritual")
    assert bad_cell.status_code == 200 and "field__error" in bad_cell.text
    too_long = _add(client, base, "x" * 1001)
    assert too_long.status_code == 200 and "field__error" in too_long.text
    assert _entries() == []


def test_control_characters_are_stripped_and_unicode_kept(setting):
    client, base, *_ = setting
    _add(client, base, "Angst\x00 voor\x07 vallen — خوف")
    [entry] = _entries()
    assert entry.text == "Angst voor vallen — خوف"


def test_edit_keeps_every_earlier_text_in_the_history(setting):
    client, base, _therapist, _, _, (first, _) = setting
    _add(client, base, "Pain = damage")
    [entry] = _entries()
    assert _edit(client, base, entry.id, "Believes pain means damage", 1).status_code == 302
    assert _edit(client, base, entry.id, "Believes pain means damage to the spine", 2, first.id)
    [entry] = _entries()
    assert entry.version == 3 and entry.text == "Believes pain means damage to the spine"
    assert entry.session_id == first.id
    revisions = db.session.scalars(
        select(FormulationRevision).order_by(FormulationRevision.version)
    ).all()
    assert [(r.version, r.text) for r in revisions] == [
        (1, "Pain = damage"),
        (2, "Believes pain means damage"),
    ]
    history = client.get(f"{base}/{entry.id}/history").text
    newest, middle, oldest = (
        history.index("damage to the spine"),
        history.index("Believes pain means damage<"),
        history.index("Pain = damage"),
    )
    assert newest < middle < oldest
    assert "Ilse Bakker" in history
    assert "edited" in client.get(base).text


def test_edit_conflict_shows_both_versions_and_overwrites_nothing(setting):
    client, base, *_ = setting
    _add(client, base, "Sleeps badly")
    [entry] = _entries()
    token = csrf_token_from(client.get(f"{base}/{entry.id}/edit").text)
    assert _edit(client, base, entry.id, "Sleeps badly since the move", 1).status_code == 302
    stale = _edit(client, base, entry.id, "Sleeps five hours a night", 1, token=token)
    assert stale.status_code == 200
    assert "Someone saved this entry while you were editing it" in stale.text
    assert "Sleeps badly since the move" in stale.text  # the version saved meanwhile
    assert "Sleeps five hours a night" in stale.text  # the user's own text stays in the form
    assert 'name="version" type="hidden" value="2"' in stale.text
    [entry] = _entries()
    assert entry.text == "Sleeps badly since the move" and entry.version == 2
    assert _edit(client, base, entry.id, "Sleeps five hours a night", 2).status_code == 302
    [entry] = _entries()
    assert entry.text == "Sleeps five hours a night" and len(entry.revisions) == 2


def test_withdraw_takes_an_entry_off_the_grid_and_keeps_its_history(setting):
    client, base, *_ = setting
    _add(client, base, "Chronic stress at work", factor="precipitating")
    [entry] = _entries()
    edit_page = client.get(f"{base}/{entry.id}/edit").text
    response = client.post(
        f"{base}/{entry.id}/withdraw",
        data={"csrf_token": csrf_token_from(edit_page), "version": 1},
    )
    assert response.status_code == 302
    [entry] = _entries()
    assert entry.withdrawn_at is not None and entry.text == "Chronic stress at work"
    grid = client.get(base).text
    assert "<s>Chronic stress at work</s>" in grid
    assert grid.count("Chronic stress at work") == 1  # only in the withdrawn list
    history = client.get(f"{base}/{entry.id}/history").text
    assert "Withdrawn" in history and "Chronic stress at work" in history
    # A withdrawn entry cannot be edited any more.
    token = csrf_token_from(grid)
    assert _edit(client, base, entry.id, "Back again", 2, token=token).status_code == 302
    assert _entries()[0].text == "Chronic stress at work"


def test_withdraw_with_a_stale_version_is_refused(setting):
    client, base, *_ = setting
    _add(client, base, "Avoids walking")
    [entry] = _entries()
    token = csrf_token_from(client.get(f"{base}/{entry.id}/edit").text)
    _edit(client, base, entry.id, "Avoids walking further than the shop", 1)
    response = client.post(
        f"{base}/{entry.id}/withdraw",
        data={"csrf_token": token, "version": 1},
        follow_redirects=True,
    )
    assert "Someone changed this entry meanwhile" in response.text
    assert _entries()[0].withdrawn_at is None


def test_closed_episode_formulation_is_read_only(setting):
    client, base, _, _, episode, _ = setting
    _add(client, base, "Supportive partner", dimension="social", factor="protective")
    [entry] = _entries()
    token = csrf_token_from(client.get(f"{base}/{entry.id}/edit").text)
    episode.status = EpisodeStatus.CLOSED
    episode.closed_on = date.today()
    episode.ending_reason = EndingReason.GOALS_REACHED
    db.session.commit()
    grid = client.get(base)
    assert grid.status_code == 200
    assert "Supportive partner" in grid.text
    assert "+ Add" not in grid.text and ">Edit<" not in grid.text
    assert "can no longer be changed" in grid.text
    added = client.post(
        f"{base}/new",
        data={"csrf_token": token, "dimension": "social", "factor": "protective", "text": "New"},
        follow_redirects=True,
    )
    assert "can be read but no longer changed" in added.text
    _edit(client, base, entry.id, "Changed after closing", 1, token=token)
    client.post(f"{base}/{entry.id}/withdraw", data={"csrf_token": token, "version": 1})
    [entry] = _entries()
    assert (entry.text, entry.version, entry.withdrawn_at) == ("Supportive partner", 1, None)


def test_an_entry_is_only_reached_through_its_own_episode(setting, login):
    client, base, _therapist, patient, _, _ = setting
    _add(client, base, "Perfectionism", dimension="cognitive", factor="predisposing")
    [entry] = _entries()
    second = make_episode(patient, started_on=date(2020, 1, 6), referral_date=date(2020, 1, 1))
    stranger = make_patient(make_user())
    db.session.commit()
    for url in (
        f"/patients/{patient.id}/episodes/{second.id}/formulation/{entry.id}/edit",
        f"/patients/{patient.id}/episodes/{second.id}/formulation/{entry.id}/history",
        f"/patients/{stranger.id}/episodes/{entry.episode_id}/formulation",
    ):
        assert client.get(url).status_code == 404, url


def _grid_queries(client, base) -> int:
    with counting_queries() as statements:
        assert client.get(base).status_code == 200
    return len(statements)


def test_grid_runs_a_fixed_number_of_queries(setting):
    client, base, therapist, _, episode, (first, _) = setting
    _add(client, base, "One factor", session_id=first.id)
    client.get(base)  # shows (and so clears) the flash of the addition, a write of its own
    small = _grid_queries(client, base)
    for number in range(3, 12):
        make_session(episode, number)
    for index in range(25):
        db.session.add(
            FormulationEntry(
                episode_id=episode.id,
                dimension="somatic",
                factor="perpetuating",
                text=f"Factor {index}",
                session_id=first.id,
                created_by_id=therapist.id,
                withdrawn_at=None if index % 5 else first.created_at,
            )
        )
    db.session.commit()
    assert _grid_queries(client, base) == small


def test_entry_text_is_escaped_on_every_page(setting):
    client, base, *_ = setting
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    _add(client, base, payload)
    [entry] = _entries()
    _edit(client, base, entry.id, payload + " v2", 1)
    for url in (base, f"{base}/{entry.id}/edit", f"{base}/{entry.id}/history"):
        page = client.get(url).text
        assert payload not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
