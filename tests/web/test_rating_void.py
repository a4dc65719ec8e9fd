"""Voiding a PSFS rating the patient gave (issue 13): a reason, audited, counted nowhere after."""

from __future__ import annotations

import html
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_full_episode, make_patient, make_user
from tests.web.void_answers import (
    REASON,
    answer_on_the_device,
    copy_text,
    episode_page,
    post_void,
    void_url,
)
from tests.web.void_answers import (
    saved as saved_row,
)
from therapy.extensions import db
from therapy.models import AuditEvent, Goal, GoalRating
from therapy.models.enums import AnswerSource, AuditAction, RatingOccasion

# The goal: 3 at intake, then 4, 5 and 6 in sessions 1 to 3 (entered by the therapist).
BEFORE = "PSFS mean: 3.0 at intake → 10.0 now (+7.0 points)"
AFTER = "PSFS mean: 3.0 at intake → 6.0 now (+3.0 points)"


@pytest.fixture
def mine(app, login):
    app.config["SESSION_TOUCH_SECONDS"] = 20  # as served: a save's one commit is counted alone
    therapist = make_user()
    episode = make_full_episode(make_patient(therapist, family_name="Verbeek"))
    goal = episode.goals[0]
    # The patient's own rating, with a personal link: 10 would read as "as before the problem".
    rating = GoalRating(
        goal_id=goal.id,
        occasion=RatingOccasion.REVIEW,
        rated_on=date.today(),
        score=10,
        source=AnswerSource.PATIENT_LINK,
    )
    db.session.add(rating)
    db.session.commit()
    return login(therapist), therapist, episode, goal, rating


def test_a_reason_is_required_and_nothing_changes_without_one(mine) -> None:
    client, _therapist, episode, _goal, rating = mine
    page = episode_page(client, episode)
    assert "PSFS: Cycling to work" in page and "Void these answers" in page
    response = post_void(client, void_url(episode, "ratings", rating.id), "")
    assert response.status_code == 200 and "This is needed." in response.text
    assert saved_row(GoalRating, rating.id).voided_at is None
    assert BEFORE in episode_page(client, episode)


def test_a_voided_rating_counts_in_no_psfs_change_but_stays_visible(mine) -> None:
    client, therapist, episode, _goal, rating = mine
    assert BEFORE in episode_page(client, episode)
    response = post_void(client, void_url(episode, "ratings", rating.id), REASON)
    assert response.status_code == 302
    saved = saved_row(GoalRating, rating.id)
    assert saved.voided_by_id == therapist.id and saved.void_reason == REASON
    assert saved.score == 10  # the patient's answer is untouched

    page = episode_page(client, episode)
    assert AFTER in page and "10.0" not in page
    assert REASON in page and "voided" in page
    event = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == AuditAction.UPDATE,
            AuditEvent.object_type == "goal_rating",
            AuditEvent.object_id == rating.id,
        )
    ).one()
    assert event.user_id == therapist.id and event.patient_id == episode.patient_id


def test_voiding_twice_or_voiding_a_paper_rating_is_refused(mine) -> None:
    client, _therapist, episode, goal, rating = mine
    url = void_url(episode, "ratings", rating.id)
    assert post_void(client, url, REASON).status_code == 302
    again = post_void(client, url, "Another reason")
    assert again.status_code == 200 and "already voided" in again.text
    assert saved_row(GoalRating, rating.id).void_reason == REASON
    paper = db.session.get(Goal, goal.id).ratings[0]
    assert paper.source is AnswerSource.THERAPIST_PAPER
    refused = post_void(client, void_url(episode, "ratings", paper.id), REASON)
    assert refused.status_code == 200 and "entered by the therapist from paper" in refused.text
    assert saved_row(GoalRating, paper.id).voided_at is None


def test_after_a_void_the_patient_can_rate_the_goal_again(app, login, mine) -> None:
    client, therapist, episode, goal, rating = mine
    post_void(client, void_url(episode, "ratings", rating.id), REASON)
    steps = [("/answer/psfs", {f"goal_{goal.id}": "8"})]
    answer_on_the_device(app, login, therapist, episode, steps, psfs="y")
    db.session.expire_all()
    scores = [(r.score, r.voided_at is None) for r in db.session.get(Goal, goal.id).every_rating]
    assert (10, False) in scores and (8, True) in scores
    assert "PSFS mean: 3.0 at intake → 8.0 now (+5.0 points)" in episode_page(client, episode)


def test_another_therapist_cannot_void(app, mine, login) -> None:
    _client, _therapist, episode, _goal, rating = mine
    other = login(make_user(), test_client=app.test_client())
    assert other.get(void_url(episode, "ratings", rating.id)).status_code == 404
    mine_elsewhere = make_full_episode(make_patient(make_user()))
    db.session.commit()
    foreign = void_url(mine_elsewhere, "ratings", rating.id)  # another episode's url
    assert _client.get(foreign).status_code == 404


def test_a_voided_rating_leaves_the_exports(mine) -> None:
    """The FHIR record, the research data and the outcomes read the same rows."""
    from therapy.exports.records import iter_records

    client, _therapist, episode, goal, rating = mine

    def exported() -> set[int]:
        (record,) = next(iter_records([episode.patient_id]))
        return {row.id for e in record.episodes for row in e.ratings.get(goal.id, [])}

    assert rating.id in exported()
    post_void(client, void_url(episode, "ratings", rating.id), REASON)
    db.session.expire_all()
    assert rating.id not in exported() and len(exported()) == 4


def test_the_void_form_speaks_dutch(app, login) -> None:
    therapist = make_user(language="nl")
    episode = make_full_episode(make_patient(therapist))
    rating = GoalRating(
        goal_id=episode.goals[0].id,
        occasion=RatingOccasion.REVIEW,
        rated_on=date(2026, 11, 1),
        score=10,
        source=AnswerSource.PATIENT_DEVICE,
    )
    db.session.add(rating)
    db.session.commit()
    client = login(therapist)
    page = html.unescape(client.get(void_url(episode, "ratings", rating.id)).text)
    assert "1 november 2026" in page and "PSFS: Cycling to work" in page
    assert "Deze antwoorden ongeldig verklaren" in page and "Reden" in page
    assert "Void these answers" not in page


def test_the_patients_copy_keeps_the_voided_rating_marked_with_its_reason(mine) -> None:
    client, _therapist, episode, _goal, rating = mine
    post_void(client, void_url(episode, "ratings", rating.id), "Rated by her partner")
    text = copy_text(client, episode.patient_id)
    assert "Voided: Rated by her partner" in text


def test_the_fhir_record_sends_a_voided_rating_as_entered_in_error(mine) -> None:
    """A receiver that had the rating learns it no longer counts; no PSFS mean holds it."""
    import json

    from fhir.resources.bundle import Bundle

    from therapy.exports.fhir.bundle import patient_bundle

    client, _therapist, episode, _goal, rating = mine

    def observations() -> list:
        bundle = Bundle.parse_raw(
            json.dumps(patient_bundle(episode.patient_id, "https://x.example"))
        )
        return [e.resource for e in bundle.entry if e.resource.resource_type == "Observation"]

    def means() -> list[float]:
        return [float(o.valueQuantity.value) for o in observations() if o.component]

    assert 10.0 in means()
    post_void(client, void_url(episode, "ratings", rating.id), "Rated by her partner")
    db.session.expire_all()
    (voided,) = [o for o in observations() if o.id == f"psfs-rating-{rating.id}"]
    assert voided.status == "entered-in-error" and voided.valueQuantity.value == 10
    assert voided.note[0].text == "Voided: Rated by her partner"
    assert 10.0 not in means()
    assert all(o.status == "final" for o in observations() if o.id != voided.id)
