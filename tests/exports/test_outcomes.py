"""The practice outcomes page: per therapist and practice, no patient, small counts suppressed."""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from pathlib import Path

from flask import Flask

from tests.conftest import csrf_token_from
from tests.exports.seed import seed_treatment
from tests.factories import make_user
from therapy.exports.research.archive import write_research_archive
from therapy.extensions import db
from therapy.models import TreatmentEpisode
from therapy.models.enums import EndingReason, Role


def _cells(page: str, table: str, row: str) -> list[str]:
    body = page.split(f'id="{table}"')[1].split("</table>")[0]
    line = next(r for r in body.split("<tr") if f">{row}</th>" in r)
    cells = re.findall(r"<td>(.*?)</td>", line, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def _practice(count_a: int = 6, count_b: int = 2):
    lead = make_user(full_name="Lotte Lead")
    other = make_user(full_name="Bram Second")
    for n in range(count_a):
        seed_treatment(lead, family_name=f"Alpha{n}")
    for n in range(count_b):
        seed_treatment(other, family_name=f"Beta{n}")
    dropped = db.session.query(TreatmentEpisode).filter_by(therapist_id=lead.id).first()
    dropped.ending_reason = EndingReason.DROPPED_OUT
    db.session.commit()
    return lead, other


def test_counts_per_therapist_and_practice_with_small_counts_suppressed(app: Flask, login) -> None:
    _practice()
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    page = login(admin).get("/admin/outcomes").text
    assert "Alpha0" not in page and "Beta0" not in page  # no patient anywhere
    practice = _cells(page, "outcomes-protocol", "The practice")
    assert practice[:2] == ["8", "8"]  # started, closed
    assert practice[2] == "3.0"  # three attended sessions per episode
    assert _cells(page, "outcomes-protocol", "Bram Second")[:3] == ["< 5", "< 5", "—"]
    assert _cells(page, "outcomes-protocol", "Lotte Lead")[:2] == ["6", "6"]
    phq = _cells(page, "outcomes-phq15", "The practice")
    assert phq[0] == "8" and phq[5] == "8"  # reliably improved, recovered
    assert _cells(page, "outcomes-psfs", "The practice")[-2] == "< 5"  # one dropped out
    assert page.count("<svg") == 2 and "PHQ-15 change, closed episodes" in page


def test_the_page_agrees_with_the_research_data_set(
    app: Flask, login, tmp_path: Path, monkeypatch
) -> None:
    _practice(6, 5)
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    page = login(admin).get("/admin/outcomes").text
    target = tmp_path / "research.zip"
    write_research_archive(target, environ={"RESEARCH_PSEUDONYM_KEY": "r" * 40})
    with zipfile.ZipFile(target) as archive:
        episodes = list(csv.DictReader(io.StringIO(archive.read("episodes.csv").decode())))
        sessions = list(csv.DictReader(io.StringIO(archive.read("sessions.csv").decode())))
    closed = [e for e in episodes if e["closed_month"]]
    attended = [s for s in sessions if s["attendance"] == "attended"]
    practice = _cells(page, "outcomes-protocol", "The practice")
    assert practice[1] == str(len(closed)) == "11"
    assert float(practice[2]) == round(len(attended) / len(closed), 1)
    body = sum(int(s["body_minutes"]) for s in attended) / len(attended)
    assert float(practice[4]) == round(body, 1)
    dropped = sum(e["ending_reason"] == "dropped_out" for e in closed)
    assert _cells(page, "outcomes-psfs", "The practice")[-2] == ("< 5" if dropped < 5 else "")


def test_the_period_filter(app: Flask, login) -> None:
    _practice()
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    client = login(admin)
    later = client.get("/admin/outcomes", query_string={"first": "2027-01"}).text
    assert _cells(later, "outcomes-protocol", "The practice")[:2] == ["0", "0"]
    january = client.get("/admin/outcomes", query_string={"first": "2026-01", "last": "2026-01"})
    assert _cells(january.text, "outcomes-protocol", "The practice")[:2] == ["8", "0"]
    wrong = client.get("/admin/outcomes", query_string={"first": "2026-05", "last": "2026-01"})
    assert wrong.status_code == 200 and "The last month is before the first month." in wrong.text


def test_a_practice_lead_sees_outcomes_and_nothing_else_of_the_admin_area(
    app: Flask, login
) -> None:
    lead, other = _practice(1, 1)
    admin = make_user(Role.PRACTICE_ADMIN)
    db.session.commit()
    as_admin = login(admin)
    page = as_admin.get(f"/admin/accounts/{lead.id}")
    response = as_admin.post(
        f"/admin/accounts/{lead.id}/practice-lead",
        data={"csrf_token": csrf_token_from(page.text), "is_practice_lead": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert lead.is_practice_lead
    as_lead = login(lead, test_client=app.test_client())
    assert as_lead.get("/admin/outcomes").status_code == 200
    assert "Practice outcomes" in as_lead.get("/").text
    for path in ("/admin/exports", "/admin/accounts", "/admin/audit"):
        assert as_lead.get(path).status_code == 403
    as_other = login(other, test_client=app.test_client())
    assert as_other.get("/admin/outcomes").status_code == 403
    page = as_admin.get(f"/admin/accounts/{admin.id}")
    assert 'id="practice-lead"' not in page.text
