"""Test data with sensible defaults: each helper adds rows and flushes, the test commits."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, date, datetime, time, timedelta

from therapy.extensions import db
from therapy.models import (
    AllianceCheckin,
    Document,
    FormulationEntry,
    FormulationRevision,
    GeneralPractitioner,
    Goal,
    GoalRating,
    Patient,
    PatientSymptom,
    Phq15Administration,
    SessionTechnique,
    TextSnippet,
    TherapySession,
    TreatmentEpisode,
    User,
)
from therapy.models.enums import (
    Attendance,
    DocumentKind,
    DocumentStatus,
    EpisodeStatus,
    FormulationFactor,
    Phq15Rule,
    Phq15Timepoint,
    Profession,
    ProtocolElement,
    RatingOccasion,
    RobbinsSymptom,
    Role,
    ScebsDimension,
    Sex,
)
from therapy.services.accounts.passwords import hash_password
from therapy.services.accounts.two_factor import enrol_directly

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per run
_counter = itertools.count(1)


def make_user(role: Role = Role.THERAPIST, *, enrolled: bool = True, **fields: object) -> User:
    """An account with the shared test password and, unless told otherwise, an authenticator."""
    n = next(_counter)
    user = User(
        email=f"user{n}@practice.example",
        full_name=f"Therapist {n}",
        role=role,
        profession=Profession.PHYSICAL_THERAPIST if role == Role.THERAPIST else None,
        password_hash=_PASSWORD_HASH,
    )
    for name, value in fields.items():
        setattr(user, name, value)
    db.session.add(user)
    db.session.flush()
    if enrolled:
        enrol_directly(user)
    return user


def make_snippet(user: User, **fields: object) -> TextSnippet:
    """One of the therapist's own text snippets."""
    snippet = TextSnippet(
        user_id=user.id, name=f"snip{next(_counter)}", text="Home exercise: breathing, daily."
    )
    for name, value in fields.items():
        setattr(snippet, name, value)
    db.session.add(snippet)
    db.session.flush()
    return snippet


def make_gp(**fields: object) -> GeneralPractitioner:
    """A GP; a `name` given alone is the whole name (title, initials and surname in one)."""
    surname = "" if "name" in fields else f"GP {next(_counter)}"
    gp = GeneralPractitioner(name="Dr.", family_name=surname, practice_name="Health centre")
    for name, value in fields.items():
        setattr(gp, name, value)
    db.session.add(gp)
    db.session.flush()
    return gp


def make_patient(therapist: User, **fields: object) -> Patient:
    n = next(_counter)
    patient = Patient(
        therapist_id=therapist.id,
        record_number=f"R{n:06d}",
        given_name=f"Given{n}",
        family_name=f"Family{n}",
        date_of_birth=date(1980, 1, 1),
        sex=Sex.FEMALE,
        main_symptoms=[PatientSymptom(symptom=RobbinsSymptom.FATIGUE)],
        symptom_intensity=6,
    )
    for name, value in fields.items():
        setattr(patient, name, value)
    db.session.add(patient)
    db.session.flush()
    return patient


def make_episode(patient: Patient, **fields: object) -> TreatmentEpisode:
    started = date.today() - timedelta(weeks=10)
    episode = TreatmentEpisode(
        patient_id=patient.id,
        therapist_id=patient.therapist_id,
        status=EpisodeStatus.ACTIVE,
        referral_date=started,
        referral_question="Please help with persistent fatigue.",
        request_for_help="I want to work a full day again.",
        planned_sessions=9,
        started_on=started,
    )
    for name, value in fields.items():
        setattr(episode, name, value)
    db.session.add(episode)
    db.session.flush()
    return episode


def make_episode_in_treatment(day: date, *, started_days_before: int = 9) -> TreatmentEpisode:
    """A new therapist's patient in treatment, with one PSFS goal rated at intake on `day`."""
    patient = make_patient(make_user())
    episode = make_episode(
        patient, status=EpisodeStatus.ACTIVE, started_on=day - timedelta(started_days_before)
    )
    goal = Goal(episode_id=episode.id, position=1, activity="Cycling to work")
    goal.ratings.append(GoalRating(occasion=RatingOccasion.BASELINE, rated_on=day, score=3))
    db.session.add(goal)
    db.session.flush()
    return episode


def make_session(episode: TreatmentEpisode, number: int = 1, **fields: object) -> TherapySession:
    session = TherapySession(
        episode_id=episode.id,
        number=number,
        held_on=episode.started_on + timedelta(weeks=number),
        duration_minutes=40,
        attendance=Attendance.ATTENDED,
        education_minutes=10,
        body_minutes=15,
        cognitive_minutes=5,
        activating_minutes=10,
        created_by_id=episode.therapist_id,
    )
    for name, value in fields.items():
        setattr(session, name, value)
    db.session.add(session)
    db.session.flush()
    return session


def make_reviewed_session(
    episode: TreatmentEpisode, goal: Goal, number: int, *, score: int = 5
) -> TherapySession:
    """A session with a technique, an alliance check-in and a re-rating of the goal."""
    session = make_session(episode, number)
    session.techniques.append(SessionTechnique(element=ProtocolElement.BODY, technique="breathing"))
    session.alliance = AllianceCheckin(bond=8, goals=7, tasks=8)
    goal.ratings.append(
        GoalRating(
            occasion=RatingOccasion.REVIEW,
            rated_on=session.held_on,
            score=score,
            session_id=session.id,
        )
    )
    return session


def make_phq15(
    episode: TreatmentEpisode,
    answers: list[int],
    *,
    timepoint: Phq15Timepoint = Phq15Timepoint.BASELINE,
    day: date | None = None,
    session_id: int | None = None,
    note: str = "",
) -> Phq15Administration:
    """A complete PHQ-15 (fifteen answers 0-2) entered by the episode's therapist."""
    assert len(answers) == 15
    administration = Phq15Administration(
        episode_id=episode.id,
        timepoint=timepoint,
        timepoint_note=note,
        session_id=session_id,
        administered_on=day or episode.started_on,
        rule=Phq15Rule.COMPLETE,
        total=sum(answers),
        entered_by_id=episode.therapist_id,
        **{f"item_{n:02d}": value for n, value in enumerate(answers, start=1)},
    )
    db.session.add(administration)
    return administration


def make_final_report(episode: TreatmentEpisode, *, version: int = 1) -> Document:
    """A finalised treatment report of the episode: stored bytes, their hash, a snapshot."""
    pdf = b"%PDF-1.7 test report"
    report = Document(
        episode_id=episode.id,
        kind=DocumentKind.TREATMENT_REPORT,
        version=version,
        status=DocumentStatus.FINAL,
        author_id=episode.therapist_id,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        finalised_at=datetime.now(UTC),
        snapshot={},
    )
    db.session.add(report)
    return report


def make_full_episode(patient: Patient, sessions: int = 3) -> TreatmentEpisode:
    """An episode with a row in every child table (goals, sessions, PHQ-15, grid, document)."""
    episode = make_episode(patient)
    goal = Goal(episode_id=episode.id, position=1, activity="Cycling to work")
    goal.ratings.append(
        GoalRating(occasion=RatingOccasion.BASELINE, rated_on=episode.started_on, score=3)
    )
    db.session.add(goal)
    for number in range(1, sessions + 1):
        make_reviewed_session(episode, goal, number, score=min(10, 3 + number))
    db.session.flush()
    first = episode.sessions[0] if episode.sessions else None
    administration = Phq15Administration(
        episode_id=episode.id,
        timepoint=Phq15Timepoint.BASELINE,
        administered_on=episode.started_on,
        rule=Phq15Rule.COMPLETE,
        total=15,
        entered_by_id=episode.therapist_id,
        **{f"item_{n:02d}": 1 for n in range(1, 16)},
    )
    entry = FormulationEntry(
        episode_id=episode.id,
        dimension=ScebsDimension.COGNITIVE,
        factor=FormulationFactor.PERPETUATING,
        text="Believes pain means damage.",
        session_id=first.id if first else None,
        created_by_id=episode.therapist_id,
        version=2,
    )
    entry.revisions.append(
        FormulationRevision(version=1, text="Pain = damage", edited_by_id=episode.therapist_id)
    )
    document = Document(
        episode_id=episode.id,
        kind=DocumentKind.TREATMENT_REPORT,
        author_id=episode.therapist_id,
        content={"summary": "Draft"},
    )
    db.session.add_all([administration, entry, document])
    db.session.flush()
    return episode


def make_appointment(
    episode: TreatmentEpisode, day: date | None = None, at: time = time(9, 30), **fields: object
):
    """A planned session of the episode (today at 9:30 unless told)."""
    from therapy.models import Appointment

    appointment = Appointment(
        episode_id=episode.id,
        planned_on=day or date.today(),
        starts_at=at,
        created_by_id=episode.therapist_id,
    )
    for name, value in fields.items():
        setattr(appointment, name, value)
    db.session.add(appointment)
    db.session.flush()
    return appointment


def populate_every_table() -> None:
    """At least one row in every table, with children, including awkward text."""
    from therapy.models import (
        Amendment,
        FormDraft,
        FormSubmission,
        LoginFailure,
        Practice,
        RecoveryCode,
        UserSession,
    )

    db.session.add(Practice(name="Praktijk Zoë"))
    therapist = make_user(must_change_password=True)
    gp = make_gp(name="Dr. Øster")
    for bsn in ("999990019", None):
        patient = make_patient(
            therapist,
            gp_id=gp.id,
            given_name="Zoë",
            family_name="אבי 😀",
            bsn=bsn,
            insurer="Zilveren Kruis" if bsn else "",
        )
        episode = make_full_episode(patient)
        make_appointment(episode)
        # A session logged for its planned session (the link a migration must keep or drop).
        episode.sessions[0].appointment = make_appointment(episode, episode.sessions[0].held_on)
        db.session.add(
            Amendment(
                episode_id=episode.id,
                author_id=therapist.id,
                target="Outcome",
                text="Correction: the patient returned to full working hours.",
            )
        )
    # Account tables; patient-data changes above already wrote audit events (a hash chain).
    db.session.add_all(
        [
            UserSession(id="f" * 64, user_id=therapist.id, generation=therapist.session_token),
            RecoveryCode(user_id=therapist.id, code_hash="e" * 64),
            LoginFailure(account_key=therapist.email),
            FormSubmission(user_id=therapist.id, form_key="k" * 32, path="/patients/new"),
        ]
    )
    make_snippet(therapist, name="ademh", text="Ademhaling geoefend: buik, 4 tellen in. Zoë 😀")
    db.session.add(
        FormDraft(
            user_id=therapist.id,
            patient_id=patient.id,
            path=f"/patients/{patient.id}/episodes/{episode.id}/sessions/new",
            fields='{"notes":["Zoë אבי 😀"]}',
        )
    )
    from therapy.models import ExportJob
    from therapy.models.enums import ExportKind

    db.session.add(ExportJob(kind=ExportKind.RESEARCH, requested_by_id=therapist.id, total=2))
    from therapy.models import SelfReportRequest
    from therapy.models.enums import Phq15Timepoint, SelfReportChannel
    from therapy.models.types import utcnow

    db.session.add(
        SelfReportRequest(
            episode_id=episode.id,
            created_by_id=therapist.id,
            channel=SelfReportChannel.LINK,
            token_hash="d" * 64,
            language="nl",
            phq15_timepoint=Phq15Timepoint.OTHER,
            psfs=True,
            draft='{"phq15": [0, 1, null]}',
            expires_at=utcnow(),
        )
    )
    db.session.flush()
    destroy_a_record(therapist)


def destroy_a_record(therapist: User) -> None:
    """A third record searched for and destroyed on request: the register and a redaction."""
    from therapy.audit.chain import Actor, record_event
    from therapy.audit.queries import search_detail
    from therapy.models.enums import AuditAction

    patient = make_patient(therapist, family_name="Vernietigd")
    make_full_episode(patient)
    record_event(
        AuditAction.SEARCH, actor=Actor(user_id=therapist.id), detail=search_detail(1, "vernietigd")
    )
    destroy_on_request(patient, therapist)


def destroy_on_request(patient: Patient, therapist: User) -> None:
    """The patient's record destroyed at their written request, confirmed by an administrator
    (through the service, as any worker's request does)."""
    from therapy.models.enums import DestructionOrigin, DestructionRequester
    from therapy.services.records import destruction

    admin = make_user(Role.PRACTICE_ADMIN)
    request = destruction.open_request(
        patient,
        opened_by_id=therapist.id,
        origin=DestructionOrigin.PATIENT_REQUEST,
        requested_on=date.today(),
        requested_by=DestructionRequester.PATIENT,
        decision=destruction.Decision(True, False, False, "Asked in writing."),
    )
    destruction.confirm(
        request, confirmed_by_id=admin.id, record_number=patient.record_number, now=None
    )
