"""The documents page's two faults: one key per rendered form, and text posted to a final letter."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_user
from tests.web.documents_seed import seed_reported_episode
from therapy.extensions import db
from therapy.models import Document
from therapy.models.enums import DocumentStatus


@pytest.fixture
def seeded(app, login):
    therapist = make_user()
    episode = seed_reported_episode(therapist)
    db.session.commit()
    client = login(therapist)
    base = f"/patients/{episode.patient_id}/episodes/{episode.id}/documents"
    return client, base


def _start_forms(html: str) -> dict[str, str]:
    """The form key of each "Start a draft" form on the documents page, by document kind."""
    forms = {}
    for form in re.findall(r'<form method="post" action="[^"]*/new">(.*?)</form>', html, re.S):
        kind = re.search(r'name="kind"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="kind"', form)
        key = re.search(r'name="form_key"[^>]*value="([^"]+)"', form)
        assert kind and key
        forms[kind[1] or kind[2]] = key[1]
    return forms


def test_each_start_button_carries_its_own_key_and_both_drafts_start(seeded):
    client, base = seeded
    page = client.get(base).text
    keys = _start_forms(page)
    assert set(keys) == {"treatment_report", "gp_letter"}
    assert keys["treatment_report"] != keys["gp_letter"]
    token = csrf_token_from(page)
    # Both buttons from the same page, one after the other, as the therapist clicks them.
    for kind in ("treatment_report", "gp_letter"):
        response = client.post(
            f"{base}/new",
            data={"csrf_token": token, "kind": kind, "form_key": keys[kind]},
            follow_redirects=True,
        )
        assert "This form had been sent already" not in response.text
        assert "A draft has been started" in response.text
    db.session.expire_all()
    kinds = {d.kind.value for d in db.session.scalars(select(Document))}
    assert kinds == {"treatment_report", "gp_letter"}


def test_the_same_start_button_sent_twice_starts_one_draft(seeded):
    client, base = seeded
    page = client.get(base).text
    key = _start_forms(page)["treatment_report"]
    data = {"csrf_token": csrf_token_from(page), "kind": "treatment_report", "form_key": key}
    client.post(f"{base}/new", data=data)
    again = client.post(f"{base}/new", data=data, follow_redirects=True)
    assert "This form had been sent already" in again.text
    assert len(db.session.scalars(select(Document)).all()) == 1


def _open_letter(client, base) -> tuple[Document, str]:
    page = client.get(base).text
    client.post(f"{base}/new", data={"csrf_token": csrf_token_from(page), "kind": "gp_letter"})
    db.session.expire_all()
    letter = db.session.scalars(select(Document)).one()
    return letter, client.get(f"{base}/{letter.id}").text


def _field(html: str, name: str) -> str:
    found = re.search(rf'id="{name}" name="{name}" type="hidden" value="([^"]+)"', html)
    assert found
    return found[1]


def test_text_posted_to_a_letter_finalised_in_another_tab_comes_back_with_a_reason(seeded):
    client, base = seeded
    letter, first_tab = _open_letter(client, base)
    # The second tab saves "agreed" and finalises the letter.
    client.post(
        f"{base}/{letter.id}",
        data={
            "csrf_token": csrf_token_from(first_tab),
            "fingerprint": _field(first_tab, "fingerprint"),
            "summary": "Kept by the first tab.",
            "agreed_with_patient": "yes",
            "submit": "Save",
        },
    )
    second_tab = client.get(f"{base}/{letter.id}").text
    finalised = client.post(
        f"{base}/{letter.id}/finalise",
        data={
            "csrf_token": csrf_token_from(second_tab),
            "confirm": "y",
            "fingerprint": _field(second_tab, "fingerprint"),
        },
    )
    assert finalised.status_code == 302
    db.session.expire_all()
    assert db.session.get(Document, letter.id).status == DocumentStatus.FINAL
    # The first tab, still open on the draft, now sends new words.
    typed = "Please see her again in three months, not sooner."
    response = client.post(
        f"{base}/{letter.id}",
        data={
            "csrf_token": csrf_token_from(first_tab),
            "fingerprint": _field(first_tab, "fingerprint"),
            "summary": "Kept by the first tab.",
            "advice_gp": typed,
            "submit": "Save",
        },
    )
    assert response.status_code == 200
    assert typed in response.text, "the typed text is given back"
    assert "not saved" in response.text and "finalised" in response.text
    db.session.expire_all()
    kept = db.session.get(Document, letter.id)
    assert typed not in str(kept.content) and typed not in str(kept.snapshot)


def test_a_refused_form_sent_again_with_its_answer_is_saved_not_taken_as_a_resend(seeded):
    """A post refused with a message frees its one-time key: writing the message must not
    commit the key the refused post had claimed."""
    client, base = seeded
    page = client.get(base).text
    form = re.search(r'action="[^"]*/consent".*?</form>', page, re.S)
    assert form
    fields = dict(re.findall(r'name="(form_key|version)"[^>]*value="([^"]*)"', form[0]))
    sent = {"csrf_token": csrf_token_from(page), **fields}
    refused = client.post(f"{base}/consent", data=sent, follow_redirects=True)
    assert "Choose yes or no" in refused.text
    saved = client.post(f"{base}/consent", data={**sent, "consent": "no"}, follow_redirects=True)
    assert "This form had been sent already" not in saved.text
    assert "The patient's answer has been recorded." in saved.text.replace("&#39;", "'")
