"""The practice administrator's settings page: PHQ-15 SD, alpha and MCID, and the PSFS MCID."""

from __future__ import annotations

import math

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import make_user
from therapy.extensions import db
from therapy.models import AuditEvent, Practice
from therapy.models.enums import AuditAction, Role
from therapy.services.phq15.records import change_settings

GOOD = {"phq15_sd": "5.0", "phq15_alpha": "0.85", "phq15_mcid": "4", "psfs_mcid": "1.5"}


def _post(client, data: dict[str, str]):
    page = client.get("/admin/settings")
    return client.post("/admin/settings", data={"csrf_token": csrf_token_from(page.text), **data})


def _stored() -> tuple[float, float, int, float] | None:
    db.session.expire_all()
    practice = db.session.scalar(select(Practice))
    if practice is None:
        return None
    return (practice.phq15_sd, practice.phq15_alpha, practice.phq15_mcid, practice.psfs_mcid)


def test_the_page_shows_the_defaults_and_their_reliable_change(app: Flask, login) -> None:
    db.session.add(Practice(name="Praktijk"))
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    page = login(admin).get("/admin/settings")
    assert page.status_code == 200
    assert 'value="4.0"' in page.text and 'value="0.8"' in page.text
    assert "4.96 points: a change of 5 points or more is reliable" in page.text
    # Where the defaults come from, in words a practice manager can check.
    assert "Jacobson and Truax" in page.text and "JAMA Netw Open 2024" in page.text


def test_saving_changes_every_judgement_and_is_audited(app: Flask, login) -> None:
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    assert _stored() is None, "a real installation starts without a practice row"
    client = login(admin)
    saved = _post(client, GOOD)
    assert saved.status_code == 302 and saved.headers["Location"] == "/admin/settings"
    assert _stored() == (5.0, 0.85, 4, 1.5)
    rc = 1.96 * math.sqrt(2) * 5.0 * math.sqrt(1 - 0.85)
    page = client.get("/admin/settings")
    assert f"{rc:.2f} points: a change of {math.ceil(rc)} points or more" in page.text
    assert "5.37 points: a change of 6 points" in page.text
    settings = change_settings()
    assert (settings.sd, settings.alpha, settings.mcid) == (5.0, 0.85, 4)
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "practice")
    ).all()
    assert event.action == AuditAction.ACCOUNT and event.user_id == admin.id
    assert "phq15_sd 4 -> 5" in event.detail and "psfs_mcid 2 -> 1.5" in event.detail
    # Saving the same values again changes nothing, so nothing new is on the trail.
    assert _post(client, GOOD).status_code == 302
    assert (
        len(
            db.session.scalars(
                select(AuditEvent.id).where(AuditEvent.object_type == "practice")
            ).all()
        )
        == 1
    )


BAD = [
    ("phq15_sd", "0"),
    ("phq15_sd", "-1"),
    ("phq15_sd", "15.01"),
    ("phq15_sd", "nan"),
    ("phq15_sd", "inf"),
    ("phq15_sd", "1e400"),
    ("phq15_sd", "four"),
    ("phq15_sd", ""),
    ("phq15_alpha", "0"),
    ("phq15_alpha", "1"),
    ("phq15_alpha", "1.5"),
    ("phq15_alpha", "-0.1"),
    ("phq15_alpha", "NaN"),
    ("phq15_mcid", "0"),
    ("phq15_mcid", "11"),
    ("phq15_mcid", "3.5"),
    ("phq15_mcid", "99999999999999999999999"),
    ("psfs_mcid", "0"),
    ("psfs_mcid", "0.4"),
    ("psfs_mcid", "5.5"),
    ("psfs_mcid", "nan"),
    ("psfs_mcid", "2\x00x"),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_bad_input_gets_a_message_and_changes_nothing(
    app: Flask, login, name: str, value: str
) -> None:
    db.session.add(Practice(name="Praktijk"))
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    before = _stored()
    response = _post(login(admin), {**GOOD, name: value})
    assert response.status_code == 200, (name, value)
    assert "Please check the form" in response.text and "field--invalid" in response.text
    assert _stored() == before
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "practice")
    ).all()


def test_the_edges_of_each_range_are_accepted(app: Flask, login) -> None:
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    client = login(admin)
    edges = {"phq15_sd": "15", "phq15_alpha": "0.99", "phq15_mcid": "10", "psfs_mcid": "5"}
    assert _post(client, edges).status_code == 302
    assert _stored() == (15.0, 0.99, 10, 5.0)
    low = {"phq15_sd": "0.1", "phq15_alpha": "0.01", "phq15_mcid": "1", "psfs_mcid": "0.5"}
    assert _post(client, low).status_code == 302
    assert _stored() == (0.1, 0.01, 1, 0.5)


def test_a_therapist_cannot_reach_the_settings(app: Flask, login) -> None:
    db.session.add(Practice(name="Praktijk"))
    therapist = make_user()
    db.session.commit()
    before = _stored()
    client = login(therapist)
    assert client.get("/admin/settings").status_code == 403
    token = csrf_token_from(client.get("/account/password").text)
    refused = client.post("/admin/settings", data={"csrf_token": token, **GOOD})
    assert refused.status_code == 403
    assert _stored() == before


def test_a_dutch_practice_writes_and_reads_decimal_commas(app: Flask, login) -> None:
    db.session.add(Practice(name="Praktijk", language="nl"))
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    client = login(admin)
    page = client.get("/admin/settings")
    assert 'value="4,0"' in page.text and 'value="0,8"' in page.text
    assert "4,96 punten" in page.text
    saved = _post(client, {**GOOD, "phq15_sd": "4,5", "phq15_alpha": "0,81", "psfs_mcid": "1,5"})
    assert saved.status_code == 302
    assert _stored() == (4.5, 0.81, 4, 1.5)
    english = _post(client, {**GOOD, "language": "en_GB"})
    assert english.status_code == 302
    assert db.session.scalar(select(Practice.language)) == "en_GB"
    assert "Practice settings" in client.get("/admin/settings").text
