"""The demo practice: two therapists and their patients at every stage, in Dutch or English."""

from __future__ import annotations

import random
from datetime import date, timedelta

from therapy.extensions import db
from therapy.models import (
    AllianceCheckin,
    FormulationEntry,
    GeneralPractitioner,
    Goal,
    GoalRating,
    Patient,
    PatientSymptom,
    Phq15Administration,
    Practice,
    SessionTechnique,
    TherapySession,
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
)
from therapy.models.phq15 import ITEM_COLUMNS
from therapy.services.accounts.two_factor import enrol_directly
from therapy.services.accounts.users import create_user
from therapy.services.demo.content import DEMO_PASSWORD, DemoAccount, DemoContent, DemoPatient
from therapy.services.demo.day import plan_the_day
from therapy.services.demo.dutch import DUTCH
from therapy.services.demo.english import ENGLISH
from therapy.services.patients.bsn import InvalidBsn, normalise_bsn
from therapy.services.phq15 import scoring as phq15
from therapy.services.protocol.elements import TECHNIQUES

__all__ = ["DEMO_PASSWORD", "seed_demo_practice"]


def content_for(language: str) -> DemoContent:
    """The demo practice written in `language` (Dutch, or English)."""
    return DUTCH if language == "nl" else ENGLISH


def seed_demo_practice(today: date | None = None, language: str = "nl") -> None:
    """Add the demo practice, speaking `language`, to an empty database (the caller commits)."""
    today = today or date.today()
    content = content_for(language)
    texts = content.texts
    rng = random.Random(20261122)  # noqa: S311 (repeatable demo data) # nosec B311
    db.session.add(
        Practice(
            name=texts.practice_name,
            address=texts.practice_address,
            phone=texts.practice_phone,
            language="nl" if content is DUTCH else "en_GB",
            is_demo=True,
        )
    )
    therapists = [_account(account) for account in content.therapists]
    admin = _account(content.admin)
    # Demo accounts come with an authenticator, so a newcomer logs in at once with the code
    # `flask demo-code` prints (it refuses outside a demo database).
    for account in (*therapists, admin):
        enrol_directly(account)
    gps = [GeneralPractitioner(**fields) for fields in content.gps]
    db.session.add_all(gps)
    db.session.flush()
    for index, demo in enumerate(content.patients):
        therapist = therapists[index % 2]
        gp = gps[index % len(gps)]
        patient = _patient(demo, index, therapist, gp)
        _episode(patient, demo, therapist, gp, today, rng, content)
    db.session.flush()
    plan_the_day([therapist.id for therapist in therapists], today)
    db.session.flush()


def _account(account: DemoAccount) -> User:
    return create_user(
        email=account.email,
        full_name=account.full_name,
        password=DEMO_PASSWORD,
        role=account.role,
        profession=account.profession,
        registration_number=account.registration_number,
    )


def _demo_bsn(index: int) -> str:
    """An invented BSN (in the 9999… range) that passes the 11-test."""
    number = 999_990_000 + 37 * index
    while True:
        try:
            return normalise_bsn(str(number))
        except InvalidBsn:
            number += 1


def _patient(demo: DemoPatient, index: int, therapist: User, gp: GeneralPractitioner) -> Patient:
    patient = Patient(
        therapist_id=therapist.id,
        record_number=f"DEMO-{index + 1:04d}",
        given_name=demo.given_name,
        voorvoegsel=demo.voorvoegsel,
        family_name=demo.family_name,
        address=demo.address,
        phone=demo.phone,
        email=demo.email,
        date_of_birth=date(*demo.born),
        sex=demo.sex,
        education_level=demo.education,
        bsn=_demo_bsn(index),
        insurer=("Zilveren Kruis", "CZ", "VGZ", "Menzis")[index % 4],
        gp_id=gp.id,
        other_symptoms=demo.other_symptoms,
        symptom_intensity=demo.intensity,
        main_symptoms=[PatientSymptom(symptom=symptom) for symptom in demo.symptoms],
    )
    db.session.add(patient)
    db.session.flush()
    return patient


def _episode(
    patient: Patient,
    demo: DemoPatient,
    therapist: User,
    gp: GeneralPractitioner,
    today: date,
    rng: random.Random,
    content: DemoContent,
) -> None:
    texts = content.texts
    weeks = demo.sessions + (3 if demo.stage == "closed" else 1)
    started = today - timedelta(weeks=weeks)
    episode = TreatmentEpisode(
        patient_id=patient.id,
        therapist_id=therapist.id,
        status=EpisodeStatus.INTAKE if demo.stage == "referred" else EpisodeStatus.ACTIVE,
        referral_date=started - timedelta(days=10),
        referred_by_id=gp.id,
        referral_question=demo.referral_question,
        request_for_help=demo.request_for_help,
        expectations=texts.expectations if demo.request_for_help else "",
        planned_sessions=max(9, demo.sessions) if demo.stage == "closed" else 9,
        started_on=started,
    )
    db.session.add(episode)
    db.session.flush()
    if demo.stage == "referred":
        return
    goals = _goals(episode, demo, started, rng, texts.goal_patient_words)
    baseline = _phq15(episode, patient, therapist, Phq15Timepoint.BASELINE, started, rng, 17)
    sessions = [
        _session(episode, therapist, number, started + timedelta(weeks=number), rng, content)
        for number in range(1, demo.sessions + 1)
    ]
    for session in (s for s in sessions if s.attended):
        for goal in goals:
            progress = min(10, goal.ratings[0].score + session.number // 2 + rng.randint(0, 1))
            goal.ratings.append(
                GoalRating(
                    session_id=session.id,
                    occasion=RatingOccasion.REVIEW,
                    rated_on=session.held_on,
                    score=progress,
                )
            )
    for dimension, factor, text in content.formulation[: 3 + demo.sessions // 2]:
        db.session.add(
            FormulationEntry(
                episode_id=episode.id,
                dimension=ScebsDimension(dimension),
                factor=FormulationFactor(factor),
                text=text,
                session_id=sessions[min(len(sessions) - 1, 1)].id,
                created_by_id=therapist.id,
            )
        )
    if demo.stage == "closed":
        end = sessions[-1].held_on
        _phq15(episode, patient, therapist, Phq15Timepoint.END_OF_TREATMENT, end, rng, baseline - 8)
        for goal in goals:
            goal.status = GoalStatus.ACHIEVED
        episode.status = EpisodeStatus.CLOSED
        episode.closed_on = end
        episode.ending_reason = EndingReason.GOALS_REACHED
        episode.outcome = texts.closing_outcome
        episode.relapse_prevention = texts.relapse_prevention
        episode.advice = texts.gp_advice
        episode.gp_consent = True


def _goals(
    episode: TreatmentEpisode,
    demo: DemoPatient,
    started: date,
    rng: random.Random,
    patient_words: str,
) -> list[Goal]:
    goals = []
    for position, activity in enumerate(demo.goals, start=1):
        goal = Goal(
            episode_id=episode.id,
            position=position,
            activity=activity,
            patient_words=patient_words.format(activity=activity.lower()),
        )
        goal.ratings.append(
            GoalRating(occasion=RatingOccasion.BASELINE, rated_on=started, score=rng.randint(2, 4))
        )
        db.session.add(goal)
        goals.append(goal)
    db.session.flush()
    return goals


def _session(
    episode: TreatmentEpisode,
    therapist: User,
    number: int,
    held_on: date,
    rng: random.Random,
    content: DemoContent,
) -> TherapySession:
    texts = content.texts
    attended = number == 1 or rng.random() > 0.08
    session = TherapySession(
        episode_id=episode.id,
        number=number,
        held_on=held_on,
        created_by_id=therapist.id,
        attendance=Attendance.ATTENDED if attended else Attendance.CANCELLED,
        duration_minutes=rng.choice((30, 40, 45)) if attended else None,
        symptom_course=texts.symptom_course_later if number > 1 else texts.symptom_course_first,
        home_exercises=texts.home_exercises,
    )
    if attended:
        remaining = session.duration_minutes or 0
        for element in ProtocolElement:
            minutes = min(remaining, rng.choice((0, 5, 10, 15)))
            remaining -= minutes
            setattr(session, f"{element.value}_minutes", minutes)
            if minutes:
                codes = rng.sample([t.code for t in TECHNIQUES[element]], 2)
                session.techniques.extend(
                    SessionTechnique(element=element, technique=code) for code in codes
                )
        for dimension, note in content.scebs_notes.items():
            setattr(session, f"scebs_{dimension}", note)
        rating = rng.randint(6, 9)
        session.alliance = AllianceCheckin(bond=rating + 1, goals=rating, tasks=rating)
    db.session.add(session)
    db.session.flush()
    return session


def _phq15(
    episode: TreatmentEpisode,
    patient: Patient,
    therapist: User,
    timepoint: Phq15Timepoint,
    day: date,
    rng: random.Random,
    target: int,
) -> int:
    answers: list[int | str | None] = [0] * 15
    for _ in range(max(0, target)):
        candidates = [i for i, value in enumerate(answers) if isinstance(value, int) and value < 2]
        candidates = [i for i in candidates if i != 3 or patient.sex.value == "female"]
        chosen = rng.choice(candidates)
        answers[chosen] = int(answers[chosen] or 0) + 1
    if patient.sex.value == "male":
        answers[3] = phq15.NOT_APPLICABLE
    result = phq15.score(answers, patient.sex.value)
    administration = Phq15Administration(
        episode_id=episode.id,
        timepoint=timepoint,
        administered_on=day,
        item_04_not_applicable=answers[3] == phq15.NOT_APPLICABLE,
        total=result.total,
        rule=Phq15Rule(result.rule.value),
        entered_by_id=therapist.id,
    )
    for column, value in zip(ITEM_COLUMNS, answers, strict=True):
        setattr(administration, column, None if value == phq15.NOT_APPLICABLE else value)
    db.session.add(administration)
    return result.total or 0
