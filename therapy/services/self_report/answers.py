"""A patient's answers: the draft kept while they answer, and the one final submit.

The draft is JSON on the request: {"phq15": [15 answers], "psfs": {goal id: score},
"checkin": {"bond": n, "goals": n, "tasks": n, "left_unsaid": text}}. It lives as long as the
link; the submit stores ordinary rows with their source and scores them by the same pure rules
as the therapist's form (services/phq15/scoring.py), then the request is used up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from therapy.audit.events import note_event
from therapy.extensions import db
from therapy.i18n.translation import lazy_gettext as _l
from therapy.models import AllianceCheckin, Goal, GoalRating, SelfReportRequest, TherapySession
from therapy.models.enums import (
    AnswerSource,
    AuditAction,
    GoalStatus,
    RatingOccasion,
    SelfReportChannel,
)
from therapy.services.phq15 import scoring as phq15
from therapy.services.phq15.records import Answer, Phq15InputError, record_administration

CHECKIN_QUESTIONS = ("bond", "goals", "tasks")
LEFT_UNSAID_MAX_LENGTH = 2000
PHQ15, PSFS, CHECKIN = "phq15", "psfs", "checkin"


class SubmitError(ValueError):
    """The answers cannot be stored as they are; the message says what to do."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(str(message))
        self.step = step
        self.message = message


@dataclass
class Draft:
    """The answers given so far (nothing is stored as an answer before the submit)."""

    phq15: list[Answer] = field(default_factory=lambda: [None] * phq15.ITEM_COUNT)
    psfs: dict[int, int | None] = field(default_factory=dict)
    checkin: dict[str, int | None] = field(default_factory=dict)
    left_unsaid: str = ""

    def to_json(self) -> str:
        """The draft as stored on the request."""
        return json.dumps(
            {
                PHQ15: self.phq15,
                PSFS: {str(goal): score for goal, score in self.psfs.items()},
                CHECKIN: {**self.checkin, "left_unsaid": self.left_unsaid},
            },
            ensure_ascii=False,
        )


def _answer(value: Any, number: int) -> Answer:
    if value == phq15.NOT_APPLICABLE and number == phq15.WOMEN_ONLY_ITEM:
        return phq15.NOT_APPLICABLE
    return value if type(value) is int and value in phq15.ANSWERS else None


def _rating(value: Any) -> int | None:
    return value if type(value) is int and 0 <= value <= 10 else None


def _part(raw: dict[str, Any], key: str, kind: type) -> Any:
    value = raw.get(key)
    return value if isinstance(value, kind) else kind()


def read_draft(request: SelfReportRequest) -> Draft:
    """The stored draft; anything unreadable in it counts as not yet answered."""
    try:
        raw = json.loads(request.draft or "{}")
    except ValueError:
        raw = {}
    raw = raw if isinstance(raw, dict) else {}
    items = _part(raw, PHQ15, list)
    answers = [_answer(items[i] if i < len(items) else None, i + 1) for i in range(15)]
    psfs_raw = _part(raw, PSFS, dict)
    psfs = {int(k): _rating(v) for k, v in psfs_raw.items() if str(k).isdigit()}
    checkin_raw = _part(raw, CHECKIN, dict)
    checkin = {question: _rating(checkin_raw.get(question)) for question in CHECKIN_QUESTIONS}
    unsaid = checkin_raw.get("left_unsaid")
    return Draft(answers, psfs, checkin, unsaid if isinstance(unsaid, str) else "")


def save_draft(request: SelfReportRequest, draft: Draft) -> None:
    """Keep the answers so far (the caller commits)."""
    request.draft = draft.to_json()
    db.session.flush()


def steps_of(request: SelfReportRequest) -> list[str]:
    """The questionnaires of a request, in the order the patient answers them."""
    steps = []
    if request.phq15_timepoint is not None:
        steps.append(PHQ15)
    if request.psfs:
        steps.append(PSFS)
    if request.checkin_session_id is not None:
        steps.append(CHECKIN)
    return steps


def goals_to_rate(request: SelfReportRequest) -> list[Goal]:
    """The episode's active goals, in their order."""
    return [goal for goal in request.episode.goals if goal.status is GoalStatus.ACTIVE]


def source_of(request: SelfReportRequest) -> AnswerSource:
    """How the answers of this request arrive."""
    if request.channel is SelfReportChannel.LINK:
        return AnswerSource.PATIENT_LINK
    return AnswerSource.PATIENT_DEVICE


def _store_checkin(request: SelfReportRequest, draft: Draft) -> None:
    session = db.session.get(TherapySession, request.checkin_session_id)
    if session is None:
        return  # the session was deleted since: nothing to attach the check-in to
    ratings = [draft.checkin.get(question) for question in CHECKIN_QUESTIONS]
    if any(rating is None for rating in ratings):
        raise SubmitError(CHECKIN, _l("Please answer the three questions of the check-in."))
    if session.alliance is not None:
        raise SubmitError(
            CHECKIN, _l("Your therapist has already recorded this check-in. Nothing was changed.")
        )
    bond, goals, tasks = ratings
    session.alliance = AllianceCheckin(
        bond=bond,
        goals=goals,
        tasks=tasks,
        left_unsaid=draft.left_unsaid[:LEFT_UNSAID_MAX_LENGTH],
        source=source_of(request),
    )


def _store_psfs(request: SelfReportRequest, draft: Draft, today: date) -> None:
    for goal in goals_to_rate(request):
        score = draft.psfs.get(goal.id)
        if score is None:
            continue  # a goal left unrated is simply not rated this time
        occasion = RatingOccasion.REVIEW if goal.ratings else RatingOccasion.BASELINE
        goal.ratings.append(
            GoalRating(occasion=occasion, rated_on=today, score=score, source=source_of(request))
        )


def submit(request: SelfReportRequest, *, today: date, now: datetime) -> None:
    """Store the draft's answers as the patient's, once; raises SubmitError (nothing stored)."""
    draft = read_draft(request)
    episode = request.episode
    if request.phq15_timepoint is not None:
        try:
            administration = record_administration(
                episode,
                episode.patient.sex,
                draft.phq15,
                timepoint=request.phq15_timepoint,
                administered_on=today,
                today=today,
                entered_by_id=request.created_by_id,
                session_id=request.phq15_session_id,
                source=source_of(request),
            )
        except Phq15InputError as error:
            raise SubmitError(PHQ15, error.message) from error
        request.phq15_administration_id = administration.id
    if request.psfs:
        _store_psfs(request, draft, today)
    if request.checkin_session_id is not None:
        _store_checkin(request, draft)
    request.submitted_at = now
    request.draft = "{}"  # the answers are rows now; the draft has done its work
    note_event(
        AuditAction.CREATE,
        patient_id=episode.patient_id,
        object_type="self_report_request",
        object_id=request.id,
        detail="answers submitted: " + ", ".join(steps_of(request)),
    )
    db.session.flush()
