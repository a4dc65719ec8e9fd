"""One patient's whole treatment, with every kind of data the exports write, for export tests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tests.factories import make_gp, make_patient, make_session, make_user
from therapy.extensions import db
from therapy.models import (
    AllianceCheckin,
    Document,
    Goal,
    GoalRating,
    Phq15Administration,
    TreatmentEpisode,
    User,
)
from therapy.models.enums import (
    Attendance,
    DocumentKind,
    DocumentStatus,
    EndingReason,
    EpisodeStatus,
    GoalStatus,
    Phq15Rule,
    Phq15Timepoint,
    RatingOccasion,
    Sex,
)
from therapy.services.phq15 import scoring

PDF = b"%PDF-1.7 final treatment report\n" + bytes(range(256)) * 4


@dataclass
class Seeded:
    """The ids and values a test compares the export with."""

    therapist: User
    patient_id: int
    episode: TreatmentEpisode
    phq15_ids: list[int]
    document_id: int


def _phq15(
    episode: TreatmentEpisode,
    answers: list[int | str | None],
    timepoint: Phq15Timepoint,
    day: date,
    session_id: int | None = None,
) -> Phq15Administration:
    result = scoring.score(answers, "female")
    row = Phq15Administration(
        episode_id=episode.id,
        timepoint=timepoint,
        administered_on=day,
        session_id=session_id,
        item_04_not_applicable=answers[3] == scoring.NOT_APPLICABLE,
        total=result.total,
        rule=Phq15Rule(result.rule.value),
        entered_by_id=episode.therapist_id,
        **{
            f"item_{n:02d}": (None if a == scoring.NOT_APPLICABLE else a)
            for n, a in enumerate(answers, start=1)
        },
    )
    db.session.add(row)
    db.session.flush()
    return row


def seed_treatment(therapist: User | None = None, *, family_name: str = "Jansen") -> Seeded:
    """A closed episode: 4 sessions (one cancelled), 2 goals, 3 PHQ-15s, check-ins, a report."""
    therapist = therapist or make_user(registration_number="19012345601")
    gp = make_gp(agb_code="01012345", city="Utrecht")
    patient = make_patient(
        therapist,
        family_name=family_name,
        given_name="Anna",
        sex=Sex.FEMALE,
        date_of_birth=date(1975, 6, 15),
        gp_id=gp.id,
        phone="06-12345678",
        address="Kerkstraat 1\n3511 AB Utrecht",
    )
    started = date(2026, 1, 5)
    episode = TreatmentEpisode(
        patient_id=patient.id,
        therapist_id=therapist.id,
        status=EpisodeStatus.ACTIVE,
        referral_date=started - timedelta(days=10),
        referred_by_id=gp.id,
        referral_question="Persistent fatigue and back pain.",
        request_for_help="I want to work full days again.",
        planned_sessions=9,
        started_on=started,
    )
    db.session.add(episode)
    db.session.flush()
    minutes = [(10, 15, 5, 10), (5, 20, 10, 10), (0, 0, 0, 0), (10, 10, 10, 15)]
    sessions = []
    for number, (education, body, cognitive, activating) in enumerate(minutes, start=1):
        cancelled = number == 3
        sessions.append(
            make_session(
                episode,
                number,
                held_on=started + timedelta(weeks=number),
                attendance=Attendance.CANCELLED if cancelled else Attendance.ATTENDED,
                duration_minutes=None if cancelled else education + body + cognitive + activating,
                education_minutes=education,
                body_minutes=body,
                cognitive_minutes=cognitive,
                activating_minutes=activating,
            )
        )
    for session, (bond, goals, tasks) in zip(
        (sessions[0], sessions[1], sessions[3]), ((8, 8, 8), (7, 5, 8), (9, 9, 9)), strict=True
    ):
        session.alliance = AllianceCheckin(bond=bond, goals=goals, tasks=tasks)
    first = Goal(episode_id=episode.id, position=1, activity="Cycling to work")
    second = Goal(
        episode_id=episode.id, position=2, activity="Gardening", status=GoalStatus.ACHIEVED
    )
    db.session.add_all([first, second])
    db.session.flush()
    plan = [
        (first, RatingOccasion.BASELINE, started, None, 3),
        (second, RatingOccasion.BASELINE, started, None, 4),
        (first, RatingOccasion.REVIEW, sessions[1].held_on, sessions[1].id, 5),
        (second, RatingOccasion.REVIEW, sessions[1].held_on, sessions[1].id, 6),
        (first, RatingOccasion.END, sessions[3].held_on + timedelta(days=1), None, 7),
        (second, RatingOccasion.END, sessions[3].held_on + timedelta(days=1), None, 9),
    ]
    for goal, occasion, day, session_id, score in plan:
        db.session.add(
            GoalRating(
                goal_id=goal.id, occasion=occasion, rated_on=day, session_id=session_id, score=score
            )
        )
    baseline = _phq15(
        episode, [2, 2, 1, "na", 0, 2, 1, 1, 0, 1, 1, 2, 1, 2, 2], Phq15Timepoint.BASELINE, started
    )
    during = _phq15(
        episode,
        [1, 1, 1, "na", 0, None, 1, 0, 0, 1, 0, 1, None, 1, 1],
        Phq15Timepoint.SESSION,
        sessions[1].held_on,
        sessions[1].id,
    )
    end = _phq15(
        episode,
        [0, 1, 0, "na", 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1],
        Phq15Timepoint.END_OF_TREATMENT,
        sessions[3].held_on + timedelta(days=1),
    )
    episode.status = EpisodeStatus.CLOSED
    episode.closed_on = sessions[3].held_on + timedelta(days=1)
    episode.ending_reason = EndingReason.GOALS_REACHED
    db.session.flush()
    document = Document(
        episode_id=episode.id,
        kind=DocumentKind.TREATMENT_REPORT,
        status=DocumentStatus.FINAL,
        author_id=therapist.id,
        pdf=PDF,
        sha256=hashlib.sha256(PDF).hexdigest(),
        finalised_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
        snapshot={},
    )
    db.session.add(document)
    db.session.flush()
    return Seeded(therapist, patient.id, episode, [baseline.id, during.id, end.id], document.id)
