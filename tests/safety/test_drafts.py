"""Server-side drafts: kept while typing, offered on reopening, restored, gone once saved."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from tests.factories import make_episode_in_treatment
from tests.safety.forms import post_as_browser, rendered_form
from tests.web.clinical import session_data
from therapy.extensions import db
from therapy.models import AuditEvent, FormDraft, TherapySession
from therapy.models.enums import AuditAction

TODAY = date.today()


@pytest.fixture
def episode(app):
    episode = make_episode_in_treatment(TODAY)
    db.session.commit()
    return episode


def _form_url(episode) -> str:
    return f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new"


def _autosave(client, path: str, tokens: dict[str, str], **fields: str):
    return client.post("/drafts/save", data={**tokens, "_draft_path": path, **fields})


def _drafts() -> list[FormDraft]:
    db.session.expire_all()
    return list(db.session.scalars(select(FormDraft)))


def test_a_draft_is_kept_offered_and_restored_not_saved(client, login, episode) -> None:
    login(episode.therapist)
    url = _form_url(episode)
    page = client.get(url).text
    assert 'data-draft-url="/drafts/save"' in page  # this form autosaves (drafts.js)
    tokens = rendered_form(client, url)
    typed = session_data(episode, TODAY, notes="Half-way through the session: tense shoulders")
    answer = _autosave(client, url, tokens, **typed)
    assert answer.status_code == 200 and answer.get_json()["saved"] is True
    assert "not saved yet" in answer.get_json()["message"]
    (draft,) = _drafts()
    assert draft.patient_id == episode.patient_id and draft.path == url
    stored = json.loads(draft.fields)
    assert "csrf_token" not in stored and "form_key" not in stored
    assert stored["notes"] == ["Half-way through the session: tense shoulders"]

    offer = client.get(url).text
    assert "A draft of this form was kept" in offer
    assert f'href="{url}?draft=restore"' in offer
    assert "tense shoulders" not in offer  # offered, not filled in unasked

    restored = client.get(f"{url}?draft=restore").text
    assert "Not saved yet" in restored
    assert "tense shoulders" in restored
    db.session.expire_all()
    assert db.session.scalars(select(TherapySession)).first() is None  # a draft is no record


def test_saving_the_form_removes_its_draft_in_the_same_transaction(client, login, episode):
    login(episode.therapist)
    url = _form_url(episode)
    tokens = rendered_form(client, url)
    _autosave(client, url, tokens, notes="draft text")
    assert len(_drafts()) == 1
    saved = post_as_browser(client, url, session_data(episode, TODAY, notes="final"), tokens)
    assert saved.status_code == 302
    assert _drafts() == []
    # An autosave that was still on its way arrives after the save: it keeps nothing.
    late = _autosave(client, url, tokens, notes="draft text")
    assert late.status_code == 409
    assert _drafts() == []
    # The next session's form starts empty: no old draft is offered.
    assert "A draft of this form was kept" not in client.get(url).text


def test_a_refused_save_keeps_the_draft(client, login, episode) -> None:
    login(episode.therapist)
    url = _form_url(episode)
    tokens = rendered_form(client, url)
    _autosave(client, url, tokens, notes="still here")
    future = (TODAY + timedelta(days=3)).isoformat()
    refused = post_as_browser(client, url, session_data(episode, TODAY, held_on=future), tokens)
    assert refused.status_code == 200 and "Please check the form" in refused.text
    assert len(_drafts()) == 1


def test_discarding_a_draft(client, login, episode) -> None:
    login(episode.therapist)
    url = _form_url(episode)
    tokens = rendered_form(client, url)
    _autosave(client, url, tokens, notes="not wanted")
    page = client.get(url).text
    from tests.conftest import csrf_token_from

    token = csrf_token_from(page.split("A draft of this form was kept")[1])
    response = client.post("/drafts/discard", data={"csrf_token": token, "path": url})
    assert response.status_code == 302 and response.headers["Location"] == url
    assert _drafts() == []
    assert "The draft was discarded." in client.get(url).text


def test_drafts_are_audited_as_patient_data(client, login, episode) -> None:
    login(episode.therapist)
    url = _form_url(episode)
    _autosave(client, url, rendered_form(client, url), notes="audited")
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "form_draft", AuditEvent.patient_id == episode.patient_id
        )
    ).all()
    assert [event.action for event in events] == [AuditAction.CREATE]
    assert events[0].user_id == episode.therapist_id


@pytest.mark.parametrize(
    "path",
    ["/account/password", "/login", "/admin/accounts/new", "/", "//evil.example/x", "/nowhere"],
)
def test_only_clinical_forms_keep_drafts(client, login, episode, path: str) -> None:
    """Never a draft of a login, password or account form (it would hold a password)."""
    login(episode.therapist)
    tokens = rendered_form(client, _form_url(episode))
    assert _autosave(client, path, tokens, password="secret-secret-1").status_code == 404
    assert _drafts() == []


def test_bad_text_in_a_draft_is_kept_safely(client, login, episode) -> None:
    login(episode.therapist)
    url = _form_url(episode)
    tokens = rendered_form(client, url)
    hostile = "NUL\x00 and \u202eRTL\u202c and 😀 and </textarea><script>x()</script>"
    assert _autosave(client, url, tokens, notes=hostile).status_code == 200
    restored = client.get(f"{url}?draft=restore").text
    assert "<script>x()</script>" not in restored
    assert "&lt;/textarea&gt;&lt;script&gt;" in restored
    assert "\u202eRTL\u202c and 😀" in restored
    too_big = _autosave(client, url, tokens, notes="x" * 1_100_000)
    assert too_big.status_code == 413
    assert json.loads(_drafts()[0].fields)["notes"][0].startswith("NUL and")


def test_old_drafts_and_form_keys_are_removed_at_a_login(app, client, login, episode) -> None:
    from datetime import UTC, datetime

    from therapy.models import FormSubmission

    login(episode.therapist)
    url = _form_url(episode)
    tokens = rendered_form(client, url)
    _autosave(client, url, tokens, notes="forgotten")
    post_as_browser(client, "/patients/new", {}, rendered_form(client, "/patients/new"))
    old = datetime.now(UTC) - timedelta(days=31)
    db.session.execute(update(FormDraft).values(saved_at=old))
    db.session.add(
        FormSubmission(
            user_id=episode.therapist_id,
            form_key="o" * 32,
            path="/x",
            created_at=datetime.now(UTC) - timedelta(days=8),
        )
    )
    db.session.commit()
    login(episode.therapist, test_client=app.test_client())
    assert _drafts() == []
    assert (
        db.session.scalar(select(FormSubmission).where(FormSubmission.form_key == "o" * 32)) is None
    )
