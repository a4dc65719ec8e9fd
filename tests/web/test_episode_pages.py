"""Episode page (fidelity), timeline and patient page: what was entered, in fixed queries."""

from __future__ import annotations

import html as html_text
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.factories import (
    make_episode,
    make_full_episode,
    make_patient,
    make_session,
    make_user,
)
from tests.web.clinical import queries_for
from tests.web.query_count import counting_queries
from therapy.extensions import db
from therapy.models import (
    AllianceCheckin,
    Amendment,
    FormulationEntry,
    FormulationRevision,
    Goal,
    GoalRating,
)
from therapy.models.enums import (
    Attendance,
    EndingReason,
    EpisodeStatus,
    FormulationFactor,
    RatingOccasion,
    ScebsDimension,
)
from therapy.services.protocol.fidelity import shade_legend

TODAY = date.today()


@pytest.fixture
def therapist(app):
    user = make_user()
    db.session.commit()
    return user


def _cells(html: str, label: str) -> list[str]:
    """The text of a matrix row's cells, after its header."""
    row = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert row, label
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]


def test_matrix_and_warnings_show_what_was_entered(client, login, therapist) -> None:
    patient = make_patient(therapist)
    episode = make_full_episode(patient, sessions=0)
    goal = episode.goals[0]
    goal.activity = "<script>alert(1)</script> cycling"
    make_session(
        episode,
        1,
        education_minutes=20,
        body_minutes=10,
        cognitive_minutes=5,
        activating_minutes=0,
        duration_minutes=50,
    )
    make_session(
        episode,
        2,
        attendance=Attendance.NO_SHOW,
        duration_minutes=None,
        education_minutes=0,
        body_minutes=0,
        cognitive_minutes=0,
        activating_minutes=0,
    )
    for number in (3, 4, 5):
        session = make_session(episode, number, activating_minutes=0)
        session.alliance = AllianceCheckin(bond=9, goals=9, tasks=9 if number < 5 else 4)
    db.session.commit()
    login(therapist)
    html = client.get(f"/patients/{patient.id}/episodes/{episode.id}").text
    assert _cells(html, "Psychosomatic education") == ["20", "–", "10", "10", "10", "50 (40%)"]
    assert _cells(html, "Activating therapy") == ["0", "–", "0", "0", "0", "0 (0%)"]
    assert 'class="num shade-5">20<' in html and 'class="num shade-0">0<' in html
    assert 'class="num shade-3">10<' in html and 'class="num shade-2">5<' in html
    # The legend says in words what each shade stands for; the CSS has a class for each.
    legend = re.search(r'<div class="legend" id="fidelity-legend">(.*?)</div>', html, re.S)
    assert legend and 'aria-describedby="fidelity-legend"' in html
    swatches = re.findall(r'<li class="swatch shade-(\d)">([^<]+)</li>', legend.group(1))
    assert swatches == [(str(shade), text) for shade, text in shade_legend()]
    css = (Path(client.application.static_folder) / "css" / "app.css").read_text()
    for shade, _text in swatches:
        assert re.search(rf"\.shade-{shade} {{ background: #[0-9a-f]{{6}}", css), shade
    assert "style=" not in html  # shading is by class only
    for warning in (
        "Activating therapy was not used in any of the 4 sessions.",
        "Session 1 lasted 50 minutes; the protocol has 30–45.",
        "Session 5: “The approach fits me” was rated 4 (5 or lower).",
        "Session 5: “The approach fits me” dropped from 9 to 4.",
        "was not rated in the last two sessions.",
    ):
        assert warning in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; cycling" in html


def test_episode_page_runs_the_same_queries_for_2_or_12_sessions(client, login, therapist) -> None:
    small = make_full_episode(make_patient(therapist), sessions=2)
    large = make_full_episode(make_patient(therapist), sessions=12)
    db.session.commit()
    login(therapist)
    paths = (
        "",
        "/timeline",
        "/sessions/new",
        "/close",
        "/intake",
        "/sessions/{first}",
        "/sessions/{first}/edit",
        "/sessions/{last}/edit",
        "/amendments/new",
    )
    for path in paths:
        counts = [
            queries_for(
                client.application,
                client,
                f"/patients/{e.patient_id}/episodes/{e.id}{path}".format(
                    first=e.sessions[0].id, last=e.sessions[-1].id
                ),
            )
            for e in (small, large)
        ]
        assert counts[0] == counts[1], (path, counts)


# The episode with patient and GP, goals with their ratings, sessions with their check-ins,
# formulation, amendments, next appointment, PSFS MCID, self-report requests, PHQ-15s, PHQ-15
# settings, the audit chain's last hash and the audited read: the login's own reads aside.
EPISODE_PAGE_QUERIES = 12


def test_episode_page_reads_ratings_and_check_ins_with_their_goals_and_sessions(
    client, login, therapist
) -> None:
    episode = make_full_episode(make_patient(therapist), sessions=6)
    db.session.commit()
    login(therapist)
    url = f"/patients/{episode.patient_id}/episodes/{episode.id}"
    client.get(url)  # the login's first page clears its flash, a write of its own
    with counting_queries() as statements:
        assert client.get(url).status_code == 200
    page = [
        s
        for s in statements
        if "user_session" not in s
        and "user_account" not in s
        and s != "BEGIN IMMEDIATE"
        and s != "BEGIN"
    ]
    assert not [s for s in page if s.startswith(("SELECT goal_rating", "SELECT alliance_checkin"))]
    assert len(page) <= EPISODE_PAGE_QUERIES, page


def test_timeline_tells_the_story_in_date_order(client, login, therapist) -> None:
    patient = make_patient(therapist)
    episode = make_full_episode(patient, sessions=2)
    second = Goal(episode_id=episode.id, position=2, activity="Shopping")
    second.ratings.append(
        GoalRating(occasion=RatingOccasion.BASELINE, rated_on=episode.started_on, score=6)
    )
    db.session.add(second)
    db.session.commit()
    login(therapist)
    html = client.get(f"/patients/{patient.id}/episodes/{episode.id}/timeline").text
    # PSFS mean per occasion: intake (3 and 6), session 1 (4), session 2 (5).
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td>[^<]*</td>\s*<td class="num">([\d.]+)</td>', html
    )
    assert rows == [("Intake", "4.5"), ("Session 1", "4.0"), ("Session 2", "5.0")]
    assert "Total 15" in html and "High severity (15–30)" in html
    assert "Believes pain means damage." in html
    story = html[html.index('aria-label="Episode actions"') :].split("</nav>", 1)[1]
    order = [
        story.index(text) for text in ("Intake</h2>", "PHQ-15", "Session 1</a>", "Believes pain")
    ]
    assert order == sorted(order)


def test_closed_episode_pages_run_the_same_queries_for_2_or_12_sessions(
    client, login, therapist
) -> None:
    episodes = [make_full_episode(make_patient(therapist), sessions=n) for n in (2, 12)]
    for episode in episodes:
        episode.status = EpisodeStatus.CLOSED
        episode.closed_on = episode.sessions[-1].held_on
        episode.ending_reason = EndingReason.GOALS_REACHED
        for goal in episode.goals:
            goal.ratings.append(
                GoalRating(occasion=RatingOccasion.END, rated_on=episode.closed_on, score=8)
            )
        db.session.add(Amendment(episode_id=episode.id, author_id=therapist.id, text="Note"))
    db.session.commit()
    login(therapist)
    for path in ("", "/amendments/new", "/timeline"):
        counts = [
            queries_for(
                client.application, client, f"/patients/{e.patient_id}/episodes/{e.id}{path}"
            )
            for e in episodes
        ]
        assert counts[0] == counts[1], (path, counts)


def test_timeline_shows_formulation_edits_and_withdrawals_when_they_happened(
    client, login, therapist
) -> None:
    patient = make_patient(therapist)
    episode = make_episode(patient, started_on=date(2025, 1, 6))
    first, third = make_session(episode, 1), make_session(episode, 3)  # 13 and 27 Jan

    def moment(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)

    entry = FormulationEntry(
        episode_id=episode.id,
        dimension=ScebsDimension.COGNITIVE,
        factor=FormulationFactor.PERPETUATING,
        text="Believes every twinge is a new injury.",
        session_id=third.id,
        created_by_id=therapist.id,
        created_at=moment(first.held_on),
        withdrawn_at=moment(third.held_on + timedelta(days=3)),
        version=3,
    )
    # Each revision keeps the text an entry had until it was replaced (or withdrawn) then.
    entry.revisions += [
        FormulationRevision(
            version=1,
            text="Pain = damage",
            session_id=first.id,
            edited_by_id=therapist.id,
            edited_at=moment(third.held_on),
        ),
        FormulationRevision(
            version=2,
            text="Believes every twinge is a new injury.",
            session_id=third.id,
            edited_by_id=therapist.id,
            edited_at=moment(third.held_on + timedelta(days=3)),
        ),
    ]
    db.session.add(entry)
    db.session.commit()
    login(therapist)
    page = client.get(f"/patients/{patient.id}/episodes/{episode.id}/timeline").text
    page = html_text.unescape(page)
    cell = "Cognitive × Perpetuating"
    steps = [
        "Session 1</a>",
        f"Formulation ({cell}): Pain = damage",
        "Session 3</a>",
        f"Formulation edited ({cell}): Believes every twinge is a new injury. "
        '<span class="muted">(was: Pain = damage)</span>',
        "30 January 2025",
        f"Formulation withdrawn ({cell}): <del>Believes every twinge is a new injury.</del>",
    ]
    flat = re.sub(r"\s+", " ", page)
    found = [flat.find(step) for step in steps]
    assert -1 not in found, list(zip(steps, found, strict=True))
    assert found == sorted(found)


@pytest.mark.parametrize("path", ["", "/edit"])
def test_patient_pages_run_the_same_queries_for_few_or_many_sessions(
    client, login, therapist, path
) -> None:
    small = make_full_episode(make_patient(therapist), sessions=2)
    large = make_full_episode(make_patient(therapist), sessions=12)
    db.session.commit()
    login(therapist)
    counts = [
        queries_for(client.application, client, f"/patients/{e.patient_id}{path}")
        for e in (small, large)
    ]
    assert counts[0] == counts[1], (path, counts)


def test_check_in_ratings_have_a_labelled_column_each(client, login, therapist) -> None:
    episode = make_full_episode(make_patient(therapist), sessions=2)
    episode.sessions[1].alliance = None
    db.session.commit()
    login(therapist)
    html = client.get(f"/patients/{episode.patient_id}/episodes/{episode.id}").text
    table = html[html.index("<h2>Sessions</h2>") : html.index('id="fidelity-title"')]
    assert "Alliance check-in (0–10)" in table
    headers = re.findall(r'<th scope="col" class="num" title="([^"]+)">(\w+)<span', table)
    assert headers == [
        ("I felt heard and respected", "Bond"),
        ("We worked on what I wanted", "Goals"),
        ("The approach fits me", "Tasks"),
    ]
    # The full question is read out with each short heading.
    assert '<span class="visually-hidden">: I felt heard and respected</span>' in table
    rows = re.findall(r"<tr>\s*<td class=\"num\">(\d)</td>(.*?)</tr>", table, re.S)
    first = re.findall(r'<td class="num"(?: colspan="3")?>([^<]*)</td>', rows[0][1])
    second = re.findall(r'<td class="num"(?: colspan="3")?>([^<]*)</td>', rows[1][1])
    assert first == ["40", "8", "7", "8"]  # minutes, then bond, goals, tasks
    assert second == ["40", "–"]  # no check-in: one cell across the three columns
