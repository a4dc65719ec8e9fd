"""A closed episode with something in every section the documents print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tests.factories import make_episode, make_gp, make_patient, make_session
from therapy.extensions import db
from therapy.models import (
    AllianceCheckin,
    FormulationEntry,
    Goal,
    GoalRating,
    Patient,
    Phq15Administration,
    Practice,
    SessionTechnique,
    TreatmentEpisode,
    User,
)
from therapy.models.enums import (
    Attendance,
    EndingReason,
    EpisodeStatus,
    FormulationFactor,
    GoalStatus,
    Phq15Rule,
    Phq15Timepoint,
    ProtocolElement,
    RatingOccasion,
    ScebsDimension,
    Sex,
)

STARTED = date(2025, 1, 6)
SEED_BSN = "111222333"  # passes the 11-test


@dataclass(frozen=True)
class Texts:
    """Every free text the documents print, so a test can put its own words (or payloads) in."""

    practice_name: str = "Praktijk Zonnebloem"
    practice_address: str = "Oudegracht 12"
    therapist_name: str = "Marieke Jansen"
    registration: str = "BIG 79012345601"
    given_name: str = "Sophie"
    family_name: str = "van den Berg"
    patient_address: str = "Kerkstraat 5, Utrecht"
    other_symptoms: str = "Stiff neck in the evening"
    gp_name: str = "Dr. P. de Wit"
    gp_practice: str = "Huisartsenpraktijk Lombok"
    gp_address: str = "Kanaalstraat 80"
    gp_city: str = "Utrecht"
    referral_question: str = "Persistent dizziness without a medical cause; please help her cope."
    request_for_help: str = "I want to take the train to work on my own again."
    expectations: str = "Understanding what happens in my body."
    goal_activity: str = "Taking the train alone"
    goal_words: str = "I get dizzy on the platform."
    home_exercise: str = "Slow breathing 10 minutes twice a day."
    formulation: str = "Fear that dizziness means a stroke."
    timepoint_note: str = "after the holiday"
    left_unsaid: str = "Felt rushed at the end."
    ending_detail: str = "Travels alone twice a week now."
    outcome: str = "She travels alone again and knows how to calm her body."
    relapse_prevention: str = "Notice early tension; use the breathing exercise first."
    advice: str = "Time-contingent follow-up; no new tests without new red flags."
    advice_patient: str = "Keep the breathing exercise going; walk to the station daily."
    first_home_exercise: str = "Body scan five minutes each evening."


def seed_reported_episode(therapist: User, texts: Texts = Texts()) -> TreatmentEpisode:
    """A closed episode: 3 goals, 8 sessions, PHQ-15 18 -> 8, a formulation, consent given."""
    therapist.full_name = texts.therapist_name
    therapist.registration_number = texts.registration
    therapist.registration_register = "big"
    therapist.agb_code = "04123456"
    if db.session.query(Practice).count() == 0:
        db.session.add(
            Practice(
                name=texts.practice_name,
                address=texts.practice_address,
                postcode="3511 AB",
                town="Utrecht",
                phone="030 123 4567",
                email="info@zonnebloem.example",
                agb_code="04987654",
            )
        )
    gp = make_gp(
        name=texts.gp_name,
        practice_name=texts.gp_practice,
        address=texts.gp_address,
        postcode="3531 AA",
        city=texts.gp_city,
        agb_code="01234567",
    )
    patient = make_patient(
        therapist,
        given_name=texts.given_name,
        family_name=texts.family_name,
        date_of_birth=date(1979, 5, 17),
        sex=Sex.FEMALE,
        address=texts.patient_address,
        other_symptoms=texts.other_symptoms,
        gp_id=gp.id,
        # One patient per BSN (a unique index): a second seeded episode goes without one.
        bsn=None if db.session.query(Patient).filter_by(bsn=SEED_BSN).count() else SEED_BSN,
        insurer="Zilveren Kruis",
    )
    episode = make_episode(
        patient,
        referral_date=STARTED - timedelta(days=7),
        referred_by_id=gp.id,
        started_on=STARTED,
        referral_question=texts.referral_question,
        request_for_help=texts.request_for_help,
        expectations=texts.expectations,
        planned_sessions=9,
    )
    sessions = []
    for number in range(1, 10):
        cancelled = number == 5
        session = make_session(
            episode,
            number,
            held_on=STARTED + timedelta(weeks=number),
            attendance=Attendance.CANCELLED if cancelled else Attendance.ATTENDED,
            duration_minutes=None if cancelled else 45,
            education_minutes=0 if cancelled else 10,
            body_minutes=0 if cancelled else 15,
            cognitive_minutes=0 if cancelled else 10,
            activating_minutes=0 if cancelled else 10,
            home_exercises=""
            if cancelled
            else texts.first_home_exercise
            if number < 5
            else texts.home_exercise,
        )
        if not cancelled:
            session.techniques.append(
                SessionTechnique(element=ProtocolElement.BODY, technique="breathing")
            )
            low = number == 7
            session.alliance = AllianceCheckin(
                bond=9,
                goals=5 if low else 8,
                tasks=8,
                left_unsaid=texts.left_unsaid if low else "",
            )
        sessions.append(session)
    for position, (activity, baseline, end) in enumerate(
        [(texts.goal_activity, 2, 8), ("Shopping on a Saturday", 3, 7), ("Cycling", 4, 6)], start=1
    ):
        goal = Goal(
            episode_id=episode.id,
            position=position,
            activity=activity,
            patient_words=texts.goal_words if position == 1 else "",
            status=GoalStatus.ACHIEVED,
        )
        goal.ratings.append(
            GoalRating(occasion=RatingOccasion.BASELINE, rated_on=STARTED, score=baseline)
        )
        goal.ratings.append(
            GoalRating(occasion=RatingOccasion.END, rated_on=sessions[-1].held_on, score=end)
        )
        db.session.add(goal)
    answers_baseline = [2, 2, 1, 1, 0, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1]  # 18
    answers_end = [1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0]  # 8
    for timepoint, day, answers, note in (
        (Phq15Timepoint.BASELINE, STARTED, answers_baseline, ""),
        (Phq15Timepoint.END_OF_TREATMENT, sessions[-1].held_on, answers_end, texts.timepoint_note),
    ):
        db.session.add(
            Phq15Administration(
                episode_id=episode.id,
                timepoint=timepoint,
                administered_on=day,
                rule=Phq15Rule.COMPLETE,
                total=sum(answers),
                timepoint_note=note,
                entered_by_id=therapist.id,
                **{f"item_{n:02d}": a for n, a in enumerate(answers, start=1)},
            )
        )
    for dimension, factor, text in (
        (ScebsDimension.COGNITIVE, FormulationFactor.PERPETUATING, texts.formulation),
        (ScebsDimension.SOCIAL, FormulationFactor.PROTECTIVE, "Supportive sister nearby."),
        (ScebsDimension.SOMATIC, FormulationFactor.PRECIPITATING, "Viral labyrinthitis in 2023."),
    ):
        db.session.add(
            FormulationEntry(
                episode_id=episode.id,
                dimension=dimension,
                factor=factor,
                text=text,
                session_id=sessions[1].id,
                created_by_id=therapist.id,
            )
        )
    db.session.add(
        FormulationEntry(
            episode_id=episode.id,
            dimension=ScebsDimension.EMOTIONAL,
            factor=FormulationFactor.PREDISPOSING,
            text="Withdrawn factor that must not be printed.",
            created_by_id=therapist.id,
            withdrawn_at=datetime(2025, 2, 1, tzinfo=UTC),
            version=2,
        )
    )
    episode.status = EpisodeStatus.CLOSED
    episode.closed_on = sessions[-1].held_on
    episode.ending_reason = EndingReason.GOALS_REACHED
    episode.ending_reason_detail = texts.ending_detail
    episode.outcome = texts.outcome
    episode.relapse_prevention = texts.relapse_prevention
    episode.advice = texts.advice
    episode.advice_patient = texts.advice_patient
    episode.gp_consent = True
    episode.gp_consent_recorded_at = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)
    episode.gp_consent_recorded_by_id = therapist.id
    db.session.flush()
    return episode
