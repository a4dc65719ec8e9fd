"""A therapist's own text snippets: managed in their settings, theirs alone, on the record."""

from __future__ import annotations

import html as html_text
from datetime import date, timedelta

from sqlalchemy import select

from tests.factories import make_episode, make_patient, make_snippet, make_user
from tests.web.clinical import post_form
from tests.web.forms_on_page import forms_on
from therapy.extensions import db
from therapy.models import AuditEvent, TextSnippet

LIST = "/account/snippets"


def _snippets(user) -> list[tuple[str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(select(TextSnippet).where(TextSnippet.user_id == user.id))
    return sorted((s.name, s.text) for s in rows)


def _trail() -> list[str]:
    return [
        e.detail
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "text_snippet")
        )
    ]


def test_a_therapist_adds_changes_and_deletes_a_snippet(client, login, app) -> None:
    therapist = make_user()
    db.session.commit()
    login(therapist)
    assert "My text snippets" in client.get("/account/settings").text

    added = post_form(client, LIST, {"name": "ademh", "text": "Buikademhaling, 4 tellen in."})
    assert added.status_code == 302
    page = client.get(LIST).text
    assert "ademh" in page and "Buikademhaling, 4 tellen in." in page
    snippet_id = db.session.scalar(select(TextSnippet.id).where(TextSnippet.name == "ademh"))

    edit_url = f"/account/snippets/{snippet_id}/edit"
    form = next(
        f for f in forms_on(edit_url, client.get(edit_url).text) if f.action.endswith("edit")
    )
    assert form.fields["version"] == "1"
    form.fields.update(name="adem", text="Buikademhaling, 4 tellen in, 6 uit.")
    assert client.post(edit_url, data=form.fields).status_code == 302
    assert _snippets(therapist) == [("adem", "Buikademhaling, 4 tellen in, 6 uit.")]

    delete = next(f for f in forms_on(edit_url, client.get(edit_url).text) if "delete" in f.action)
    assert client.post(delete.action, data=delete.fields).status_code == 302
    assert _snippets(therapist) == []
    assert "You have no snippets yet." in client.get(LIST).text
    assert _trail() == ["text snippet added", "text snippet changed", "text snippet deleted"]


def test_bad_input_is_explained_and_kept(client, login) -> None:
    therapist = make_user()
    make_snippet(therapist, name="plan", text="Plan: doorgaan.")
    db.session.commit()
    login(therapist)
    for name, message in (
        ("plan", "You already have a snippet by this name."),
        ("two words", "One word: letters, digits, - and _ only."),
        ("x" * 31, "Keep this under 30 characters."),
    ):
        response = post_form(client, LIST, {"name": name, "text": "Mijn zin <b>vet</b>"})
        assert response.status_code == 200
        assert message in html_text.unescape(response.text)
        assert "Mijn zin &lt;b&gt;vet&lt;/b&gt;" in response.text  # kept, and escaped
    response = post_form(client, LIST, {"name": "leeg", "text": "  "})
    assert response.status_code == 200 and "leeg" in response.text
    assert _snippets(therapist) == [("plan", "Plan: doorgaan.")]


def test_a_stale_edit_or_delete_never_overwrites(client, login) -> None:
    therapist = make_user()
    snippet = make_snippet(therapist, name="huis", text="Huiswerk: wandelen.")
    db.session.commit()
    login(therapist)
    edit_url = f"/account/snippets/{snippet.id}/edit"
    forms = forms_on(edit_url, client.get(edit_url).text)
    old_edit = next(f for f in forms if f.action.endswith("edit"))
    old_delete = next(f for f in forms if "delete" in f.action)
    # Another tab saves first.
    newer = dict(old_edit.fields, text="Huiswerk: fietsen.")
    assert client.post(edit_url, data=newer).status_code == 302
    mine = dict(old_edit.fields, text="Huiswerk: zwemmen.", form_key="another-key-0001")
    response = client.post(edit_url, data=mine)
    assert response.status_code == 200
    assert "this snippet was changed meanwhile" in html_text.unescape(response.text)
    assert "Huiswerk: zwemmen." in response.text and "Huiswerk: fietsen." in response.text
    assert _snippets(therapist) == [("huis", "Huiswerk: fietsen.")]
    assert client.post(old_delete.action, data=old_delete.fields).status_code == 302
    assert _snippets(therapist) == [("huis", "Huiswerk: fietsen.")]


def test_another_therapist_neither_sees_nor_touches_them(client, login, app) -> None:
    owner, other = make_user(), make_user()
    snippet = make_snippet(owner, name="geheim", text="Only the owner's phrase")
    db.session.commit()
    login(other)
    assert "Only the owner" not in client.get(LIST).text
    edit_url = f"/account/snippets/{snippet.id}/edit"
    assert client.get(edit_url).status_code == 404
    token_page = client.get(LIST).text
    from tests.conftest import csrf_token_from

    token = csrf_token_from(token_page)
    posted = {"csrf_token": token, "name": "x", "text": "y", "version": "1"}
    assert client.post(edit_url, data=posted).status_code == 404
    delete = {"csrf_token": token, "version": "1"}
    assert client.post(f"/account/snippets/{snippet.id}/delete", data=delete).status_code == 404
    assert client.get("/account/snippets/99999999999/edit").status_code == 404
    assert _snippets(owner) == [("geheim", "Only the owner's phrase")]


def test_the_session_form_lists_ones_own_snippets_to_copy(client, login) -> None:
    owner, other = make_user(), make_user()
    make_snippet(owner, name="ademh", text="Buikademhaling <geoefend>.")
    make_snippet(other, name="anders", text="Someone else's phrase")
    episode = make_episode(make_patient(owner), started_on=date.today() - timedelta(days=7))
    db.session.commit()
    login(owner)
    page = client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}/sessions/new").text
    assert 'data-snippet-name="ademh"' in page
    assert "Buikademhaling &lt;geoefend&gt;." in page  # visible without JavaScript, escaped
    assert "Someone else" not in page


def test_a_name_taken_by_another_tab_at_the_same_moment_is_explained(
    client, login, monkeypatch
) -> None:
    """The other tab's snippet is saved between this one's check and its insert: the unique
    index refuses it, and the therapist reads why instead of an error page."""
    from therapy.services.accounts import snippets

    therapist = make_user()
    make_snippet(therapist, name="plan", text="Plan: doorgaan.")
    db.session.commit()
    login(therapist)
    monkeypatch.setattr(snippets, "_check_name", lambda *args: None)  # the check saw no row
    response = post_form(client, LIST, {"name": "plan", "text": "Plan: afbouwen."})
    assert response.status_code == 200
    assert "You already have a snippet by this name." in html_text.unescape(response.text)
    assert "Plan: afbouwen." in response.text
    assert _snippets(therapist) == [("plan", "Plan: doorgaan.")]
