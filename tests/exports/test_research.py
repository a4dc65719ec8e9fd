"""The research data set: pseudonymised, no direct identifier, no free text, stable pseudonyms."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from flask import Flask

from tests.exports.seed import seed_treatment
from therapy.exports.research.archive import write_research_archive
from therapy.exports.research.cells import csv_lines, safe_cell
from therapy.exports.research.pseudonyms import MissingPseudonymKey
from therapy.extensions import db
from therapy.models import GeneralPractitioner, Goal, Patient, TherapySession

KEY = {"RESEARCH_PSEUDONYM_KEY": "k" * 40}
OTHER_KEY = {"RESEARCH_PSEUDONYM_KEY": "q" * 40}


def _read(path: Path) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def _raw(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


@pytest.fixture
def seeded(app: Flask):
    seeded = seed_treatment(family_name="Zwanenburg-Verhoeven")
    patient = db.session.get(Patient, seeded.patient_id)
    patient.email = "anna.zwanenburg@mail.example"
    patient.bsn = "111222333"
    goal = db.session.query(Goal).filter_by(position=1).one()
    goal.activity = '=HYPERLINK("http://evil.example","Fietsen")'
    goal.patient_words = "Ik wil weer fietsen naar Oudewater"
    session = db.session.query(TherapySession).filter_by(number=1).one()
    session.notes = "Spoke about her sister Marieke"
    session.alliance.left_unsaid = "+31 6 9999 0000 call me"
    seeded.episode.request_for_help = "Weer voltijds werken bij de bakkerij"
    db.session.commit()
    return seeded


def test_refuses_without_a_key(app: Flask, tmp_path: Path) -> None:
    with pytest.raises(MissingPseudonymKey, match="RESEARCH_PSEUDONYM_KEY"):
        write_research_archive(tmp_path / "out.zip", environ={})
    with pytest.raises(MissingPseudonymKey):
        write_research_archive(tmp_path / "out.zip", environ={"RESEARCH_PSEUDONYM_KEY": "short"})
    assert not (tmp_path / "out.zip").exists()


def test_no_direct_identifier_or_free_text_appears(app: Flask, seeded, tmp_path: Path) -> None:
    target = tmp_path / "research.zip"
    write_research_archive(target, environ=KEY)
    text = _raw(target)
    patient = db.session.get(Patient, seeded.patient_id)
    gp = db.session.get(GeneralPractitioner, patient.gp_id)
    identifiers = [
        patient.given_name,
        patient.family_name,
        patient.record_number,
        patient.bsn,
        patient.email,
        patient.phone,
        "Kerkstraat",
        gp.name,
        gp.agb_code,
        seeded.therapist.full_name,
        seeded.therapist.email,
        "HYPERLINK",
        "Oudewater",
        "Marieke",
        "9999",
        "bakkerij",
        patient.date_of_birth.isoformat(),
    ]
    found = [value for value in identifiers if value and value in text]
    assert found == []
    # No exact date in any form: ISO, Dutch day-month-year, or a timestamp.
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}-\d{2}-\d{4}|\d{1,2}:\d{2}", text)
    tables = _read(target)
    assert set(tables) == {
        "patients.csv",
        "episodes.csv",
        "sessions.csv",
        "phq15.csv",
        "psfs.csv",
        "checkins.csv",
        "data_dictionary.csv",
    }
    for row in tables["episodes.csv"]:
        assert re.fullmatch(r"\d{4}-\d{2}", row["started_month"])
    # Every column of every table is described in the dictionary.
    described = {(r["file"], r["column"]) for r in tables["data_dictionary.csv"]}
    for name, rows in tables.items():
        if name != "data_dictionary.csv":
            assert {(name, column) for column in rows[0]} <= described


def test_numbers_match_what_was_entered(app: Flask, seeded, tmp_path: Path) -> None:
    target = tmp_path / "research.zip"
    counts = write_research_archive(target, environ=KEY)
    tables = _read(target)
    assert counts["sessions.csv"] == len(tables["sessions.csv"]) == 4
    for session in db.session.query(TherapySession).all():
        (row,) = [r for r in tables["sessions.csv"] if r["session_number"] == str(session.number)]
        assert int(row["body_minutes"]) == session.body_minutes
        assert int(row["day"]) == (session.held_on - seeded.episode.started_on).days
        assert row["attendance"] == session.attendance.value
    totals = sorted(int(r["total"]) for r in tables["phq15.csv"])
    assert totals == sorted(
        a.total for a in seeded.episode.phq15_administrations if a.total is not None
    )
    assert {r["item_04"] for r in tables["phq15.csv"]} == {"na"}
    assert sorted(int(r["score"]) for r in tables["psfs.csv"]) == [3, 4, 5, 6, 7, 9]
    assert [r["ending_reason"] for r in tables["episodes.csv"]] == ["goals_reached"]
    assert len(tables["checkins.csv"]) == 3


def test_the_same_key_gives_the_same_pseudonyms(app: Flask, seeded, tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.zip", tmp_path / "b.zip", tmp_path / "c.zip"
    write_research_archive(first, environ=KEY)
    seed_treatment(family_name="Bakker")  # a second patient in between changes nothing
    db.session.commit()
    write_research_archive(second, environ=KEY)
    write_research_archive(other, environ=OTHER_KEY)
    a, b, c = (_read(path)["patients.csv"] for path in (first, second, other))
    assert len(a) == 1 and len(b) == 2
    assert a[0]["patient"] in {row["patient"] for row in b}
    assert re.fullmatch(r"[0-9a-f]{24}", a[0]["patient"])
    assert not {row["patient"] for row in c} & {row["patient"] for row in b}
    episodes = [_read(path)["episodes.csv"][0]["episode"] for path in (first, second)]
    assert episodes[0] == episodes[1]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("goals_reached", "goals_reached"),
        (-3, "-3"),
        (None, ""),
    ],
)
def test_no_cell_can_start_a_formula(value, written) -> None:
    assert safe_cell(value) == written
    (line,) = list(csv_lines([[value]]))
    cell = next(csv.reader(io.StringIO(line)))[0]
    assert not isinstance(value, str) or not cell.startswith(("=", "+", "-", "@", "\t"))
