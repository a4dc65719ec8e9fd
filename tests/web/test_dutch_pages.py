"""Every page a therapist or administrator can open, rendered in Dutch, shows no English.

The walk takes every GET route of the URL map (so a page added later is read in Dutch too),
for a therapist whose account speaks Dutch, with a whole episode behind it (sessions,
PHQ-15, formulation, documents), and an administrator of a Dutch practice. A page fails
when it shows the English text of any catalogue entry whose Dutch differs from it.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from tests.factories import make_full_episode, make_gp, make_patient, make_user
from tests.web.access import build_url, methods, protected_rules
from therapy.extensions import db
from therapy.models import Practice
from therapy.models.enums import Role

DUTCH_PO = (
    Path(__file__).resolve().parents[2] / "therapy" / "translations" / "nl" / "LC_MESSAGES"
) / "messages.po"
TAG = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.S)
# Text people read inside tags: titles, labels for screen readers, placeholders.
READ_ATTRIBUTES = re.compile(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"')
# Words that are the same in both languages or are names, codes and units.
SAME_IN_BOTH = re.compile(r"^[\W\d_]*$|^(PHQ-15|PSFS|AGB|BIG|BSN|MCID|RC95|TOTP|PDF|SCEBS)\b")


def _english_texts() -> list[str]:
    """English msgids a Dutch page must not show: those whose Dutch differs, and that are
    long enough (two words or more) not to occur by chance in Dutch text or a name."""
    with DUTCH_PO.open("rb") as handle:
        catalogue = read_po(handle, locale="nl")
    texts = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for english, dutch in zip(ids, strings, strict=False):
            # Only the fixed words between placeholders can be looked for.
            for part in re.split(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}", english):
                part = part.strip(" .,:;()·–-")
                if len(part.split()) >= 2 and part not in dutch and not SAME_IN_BOTH.match(part):
                    texts.append(part)
    return sorted(set(texts), key=len, reverse=True)


def _readable(page: str) -> str:
    attributes = " ".join(READ_ATTRIBUTES.findall(page))
    return html.unescape(re.sub(r"\s+", " ", TAG.sub(" ", page) + " " + attributes))


def _english_on(page: str, english: list[str]) -> list[str]:
    text = _readable(page)
    return [phrase for phrase in english if phrase in text]


@pytest.fixture
def dutch_practice(app: Flask):
    db.session.add(Practice(name="Praktijk", language="nl"))
    therapist = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    gp = make_gp()
    patient = make_patient(therapist, gp_id=gp.id)
    episode = make_full_episode(patient)
    db.session.commit()
    ids = {
        "patient_id": patient.id,
        "episode_id": episode.id,
        "session_id": episode.sessions[0].id,
        "goal_id": episode.goals[0].id,
        "entry_id": episode.formulation_entries[0].id,
        "administration_id": episode.phq15_administrations[0].id,
        "document_id": episode.documents[0].id,
        "user_id": therapist.id,
        "gp_id": gp.id,
    }
    return therapist, admin, ids


def _walk(app: Flask, client, ids: dict[str, int]) -> dict[str, str]:
    pages = {}
    for rule in protected_rules(app):
        if "GET" not in methods(rule) or not set(rule.arguments) <= set(ids):
            continue
        response = client.get(build_url(rule, ids))
        if response.status_code == 200 and response.mimetype == "text/html":
            pages[rule.rule] = response.text
    return pages


def test_no_page_shows_english_to_a_dutch_therapist_or_administrator(
    app: Flask, client, login, dutch_practice
) -> None:
    therapist, admin, ids = dutch_practice
    english = _english_texts()
    assert len(english) > 300, "the catalogue's English phrases are looked for"
    pages = {"/login": client.get("/login", headers={"Accept-Language": "nl-NL,nl"}).text}
    login(therapist)
    pages |= _walk(app, client, ids)
    therapist_pages = len(pages)
    admin_client = app.test_client()
    login(admin, test_client=admin_client)
    pages |= {f"admin {path}": text for path, text in _walk(app, admin_client, ids).items()}
    assert therapist_pages >= 25 and len(pages) > therapist_pages
    found = {path: _english_on(text, english) for path, text in pages.items()}
    found = {path: phrases for path, phrases in found.items() if phrases}
    assert not found, found
    assert all('lang="nl"' in text for text in pages.values())
    # The same look-up finds English where English is meant: the check can fail.
    therapist.language = "en_GB"
    db.session.commit()
    episode_page = client.get(f"/patients/{ids['patient_id']}/episodes/{ids['episode_id']}")
    assert 'lang="en-GB"' in episode_page.text
    assert len(_english_on(episode_page.text, english)) > 20


def test_a_form_sent_back_with_errors_speaks_dutch(app: Flask, client, login, dutch_practice):
    """The error summary and its messages come from the shared form macros (templates/_macros),
    a folder Babel skips unless told: the page a therapist sees after a mistake is Dutch too."""
    from tests.conftest import csrf_token_from

    therapist, _admin, _ids = dutch_practice
    login(therapist)
    form = client.get("/patients/new").text
    response = client.post("/patients/new", data={"csrf_token": csrf_token_from(form)})
    assert response.status_code == 200
    assert "Controleer het formulier" in response.text
    assert "Er is nog niets opgeslagen." in response.text
    assert not _english_on(response.text, _english_texts())
