"""PHQ-15 and PSFS as FHIR: QuestionnaireResponse, Observations, Goals.

Totals and rules are the ones the scoring service stored; bands, PSFS occasions and means
come from the pure rules (phq15/scoring.py, psfs/scoring.py): nothing is scored here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from therapy.exports.fhir import codes as c
from therapy.exports.fhir.care import encounter_id
from therapy.exports.fhir.people import patient_id
from therapy.exports.records import EpisodeRecord
from therapy.models.enums import GoalStatus, Phq15Rule
from therapy.models.phq15 import ITEM_COLUMNS
from therapy.services.episodes.facts import rating_fact
from therapy.services.phq15.scoring import ITEMS, TOTAL_LOINC, band_for
from therapy.services.phq15.words import english_item_text
from therapy.services.psfs.scoring import Occasion, psfs_course

GOAL_STATUS = {
    GoalStatus.ACTIVE: "active",
    GoalStatus.ACHIEVED: "completed",
    GoalStatus.DROPPED: "cancelled",
}
_TOTAL_CODE = {"coding": [c.coding(c.LOINC, TOTAL_LOINC)], "text": "PHQ-15 total score"}
_BAND_CODE = c.concept(c.PHQ15_BAND_SYSTEM, c.BAND_CODE, "PHQ-15 severity band")
_ITEM_CODES = [
    {
        "coding": [c.coding(c.LOINC, item.loinc, english_item_text(item.number))],
        "text": english_item_text(item.number),
    }
    for item in ITEMS
]
_PSFS_RATING = c.concept(c.PSFS_SYSTEM, c.PSFS_RATING_CODE, "PSFS activity rating")
_PSFS_MEAN = c.concept(c.PSFS_SYSTEM, c.PSFS_MEAN_CODE, "PSFS mean of the activity ratings")


def _answer(row: Any, index: int) -> int | str | None:
    """Item index's answer: 0-2, "not-applicable" for item 4 marked so, or None when blank."""
    if index == 3 and row.item_04_not_applicable:
        return "not-applicable"
    value = getattr(row, ITEM_COLUMNS[index])
    return None if value is None else int(value)


def _context(patient: Any, day: str, session_id: int | None) -> dict[str, Any]:
    """Subject, encounter (when given at a session) and date shared by one measurement."""
    context: dict[str, Any] = {"subject": c.reference("Patient", patient_id(patient))}
    if session_id is not None:
        context["encounter"] = c.reference("Encounter", encounter_id(session_id))
    context["effectiveDateTime"] = day
    return context


def _void_note(row: Any) -> dict[str, Any]:
    """The therapist's reason, on a resource voided after the patient answered (issue 13)."""
    return {"note": [{"text": f"Voided: {row.void_reason}"}]} if row.voided_at else {}


def phq15_resources(patient: Any, row: Any) -> Iterator[dict[str, Any]]:
    """One administration: the response, then Observations of the total, the band, each item.

    A voided one (issue 13) is sent all the same, every resource of it entered-in-error: a
    receiver that had it before learns that it no longer counts.
    """
    voided = row.voided_at is not None
    response_id = f"phq15-{row.id}"
    day = row.administered_on.isoformat()
    context = _context(patient, day, row.session_id)
    items = []
    for index, item in enumerate(ITEMS):
        answer = _answer(row, index)
        entry: dict[str, Any] = {"linkId": item.loinc, "text": english_item_text(item.number)}
        if isinstance(answer, int):
            entry["answer"] = [{"valueInteger": answer}]
        else:
            reason = answer or "unknown"
            entry["extension"] = [{"url": c.DATA_ABSENT_EXTENSION, "valueCode": reason}]
        items.append(entry)
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "extension": [
            {
                "url": c.PHQ15_TIMEPOINT_EXTENSION,
                "valueCoding": c.coding(c.PHQ15_TIMEPOINT_SYSTEM, str(row.timepoint)),
            }
        ],
        "questionnaire": c.PHQ15_QUESTIONNAIRE,
        "status": "entered-in-error" if voided else "completed",
        "subject": context["subject"],
        "authored": day,
        "item": items,
    }
    if row.session_id is not None:
        response["encounter"] = context["encounter"]
    yield response
    derived = [c.reference("QuestionnaireResponse", response_id)]
    base = {"status": "entered-in-error" if voided else "final", "category": c.SURVEY}
    total: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"{response_id}-total",
        **base,
        "code": _TOTAL_CODE,
        **context,
        "method": c.concept(c.PHQ15_RULE_SYSTEM, str(row.rule)),
        "derivedFrom": derived,
        **_void_note(row),
    }
    if row.total is None or row.rule == Phq15Rule.INCOMPLETE:
        total["dataAbsentReason"] = c.absent("unknown")
    else:
        total["valueQuantity"] = c.score(int(row.total))
    yield total
    if row.total is not None:
        yield {
            "resourceType": "Observation",
            "id": f"{response_id}-band",
            **base,
            "code": _BAND_CODE,
            **context,
            "valueCodeableConcept": c.concept(c.PHQ15_BAND_SYSTEM, band_for(int(row.total)).value),
            "derivedFrom": [*derived, c.reference("Observation", f"{response_id}-total")],
        }
    for index, item in enumerate(ITEMS):
        answer = _answer(row, index)
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "id": f"{response_id}-item-{item.number}",
            **base,
            "code": _ITEM_CODES[index],
            **context,
            "derivedFrom": derived,
        }
        if isinstance(answer, int):
            observation["valueQuantity"] = c.score(answer)
        else:
            observation["dataAbsentReason"] = c.absent(answer or "unknown")
        yield observation


def goal_resource(patient: Any, goal: Any) -> dict[str, Any]:
    """A PSFS activity as a Goal, in the patient's words."""
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "id": f"goal-{goal.id}",
        "lifecycleStatus": GOAL_STATUS[goal.status],
        "description": {"text": goal.activity},
        "subject": c.reference("Patient", patient_id(patient)),
    }
    if goal.status == GoalStatus.ACHIEVED:
        resource["achievementStatus"] = c.concept(c.GOAL_ACHIEVEMENT, "achieved")
    if goal.patient_words:
        resource["note"] = [{"text": goal.patient_words}]
    return resource


def psfs_resources(patient: Any, record: EpisodeRecord) -> Iterator[dict[str, Any]]:
    """Each goal, then one Observation per occasion: the mean, with each goal's rating.

    The mean (valueQuantity) is the PSFS score of the occasion (psfs_course); its components
    are the ratings it is the mean of, each naming its Goal. One Observation per occasion
    rather than one per rating keeps a practice export within its time (see README).
    """
    sessions = {s.id: s for s in record.sessions}
    by_number = {s.number: s.id for s in record.sessions}
    facts = []
    components: dict[Occasion, list[dict[str, Any]]] = {}
    for goal in record.goals:
        yield goal_resource(patient, goal)
        for rating in record.ratings.get(goal.id, []):
            fact = rating_fact(rating, sessions.get(rating.session_id))
            facts.append(fact)
            components.setdefault(fact.occasion, []).append(
                {
                    "extension": [
                        {
                            "url": c.PSFS_GOAL_EXTENSION,
                            "valueReference": c.reference("Goal", f"goal-{goal.id}"),
                        }
                    ],
                    "code": {**_PSFS_RATING, "text": goal.activity},
                    "valueQuantity": c.score(int(rating.score)),
                }
            )
    for number, point in enumerate(psfs_course(facts), start=1):
        occasion = point.occasion
        session_id = by_number.get(occasion.number) if occasion.kind == "session" else None
        yield {
            "resourceType": "Observation",
            "id": f"psfs-{record.row.id}-{number}",
            "extension": [_occasion(occasion)],
            "status": "final",
            "category": c.SURVEY,
            "code": _PSFS_MEAN,
            **_context(patient, occasion.day.isoformat(), session_id),
            "valueQuantity": c.score(round(point.mean, 4)),
            "component": components[occasion],
        }
    for goal in record.goals:
        for rating in record.voided_ratings.get(goal.id, []):
            yield voided_rating_resource(patient, goal, rating)


def voided_rating_resource(patient: Any, goal: Any, rating: Any) -> dict[str, Any]:
    """A PSFS rating the therapist voided (issue 13): in no mean, sent as entered-in-error."""
    return {
        "resourceType": "Observation",
        "id": f"psfs-rating-{rating.id}",
        "extension": [
            {
                "url": c.PSFS_GOAL_EXTENSION,
                "valueReference": c.reference("Goal", f"goal-{goal.id}"),
            }
        ],
        "status": "entered-in-error",
        "category": c.SURVEY,
        "code": {**_PSFS_RATING, "text": goal.activity},
        **_context(patient, rating.rated_on.isoformat(), rating.session_id),
        "valueQuantity": c.score(int(rating.score)),
        **_void_note(rating),
    }


def _occasion(occasion: Occasion) -> dict[str, Any]:
    """When a PSFS rating was given: at intake ("baseline"), at a session, or at the end."""
    return {"url": c.PSFS_OCCASION_EXTENSION, "valueCode": occasion.kind}
