"""Every page runs the same number of queries whatever the caseload holds (from app.url_map).

Each GET route is requested once on a small practice and again after the same practice has
grown (more sessions in the episode, more PHQ-15s, formulation entries and documents, twenty
more patients, more accounts and audit rows). A page whose count grows is an N+1 query.
"""

from __future__ import annotations

from tests.factories import (
    make_full_episode,
    make_patient,
    make_phq15,
    make_reviewed_session,
    make_user,
)
from tests.web.access import ADMIN_BLUEPRINT, build_url, methods, protected_rules
from tests.web.query_count import counting_queries
from tests.web.test_access_matrix import _world
from therapy.extensions import db
from therapy.models import (
    FormulationEntry,
    TreatmentEpisode,
)
from therapy.models.enums import (
    FormulationFactor,
    Phq15Timepoint,
    Role,
    ScebsDimension,
)

# The login's own steps: a full login is only sent on from them; and the way back from a
# handed-over device, which sends a login that is not handed over to its caseload.
SKIPPED = frozenset({"auth.two_factor", "auth.enrol", "self_report.handover_return"})


def _grow(episode: TreatmentEpisode, therapist) -> None:
    """Ten more sessions with everything a session holds, more results; more of everything."""
    goal = episode.goals[0]
    first = len(episode.sessions) + 1
    for number in range(first, first + 10):
        session = make_reviewed_session(episode, goal, number)
        make_phq15(
            episode,
            [0 if n % 5 == 0 else 1 for n in range(1, 16)],
            timepoint=Phq15Timepoint.SESSION,
            day=session.held_on,
            session_id=session.id,
        )
    for dimension in ScebsDimension:
        for factor in FormulationFactor:
            db.session.add(
                FormulationEntry(
                    episode_id=episode.id,
                    dimension=dimension,
                    factor=factor,
                    text=f"{dimension.value} {factor.value}",
                    created_by_id=therapist.id,
                )
            )
    for _ in range(20):
        make_full_episode(make_patient(therapist), sessions=4)
        make_user()
    db.session.commit()


def _counts(client, rules, ids) -> dict[str, int]:
    counts = {}
    for rule in rules:
        url = build_url(rule, ids)
        with counting_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[rule.rule] = len(statements)
    return counts


def test_no_page_runs_more_queries_as_the_practice_grows(app, login) -> None:
    owner = make_user()
    admin = make_user(Role.PRACTICE_ADMIN)
    world = _world(owner)
    db.session.commit()
    as_owner = login(owner, test_client=app.test_client())
    as_admin = login(admin, test_client=app.test_client())
    rules = [
        rule
        for rule in protected_rules(app)
        if "GET" in methods(rule) and rule.endpoint not in SKIPPED
    ]
    admin_rules = [r for r in rules if r.endpoint.startswith(ADMIN_BLUEPRINT + ".")]
    owner_rules = [r for r in rules if r not in admin_rules]
    before = {
        **_counts(as_owner, owner_rules, world.ids),
        **_counts(as_admin, admin_rules, world.ids),
    }
    episode = db.session.get(TreatmentEpisode, world.ids["episode_id"])
    _grow(episode, owner)
    after = {
        **_counts(as_owner, owner_rules, world.ids),
        **_counts(as_admin, admin_rules, world.ids),
    }
    grown = {url: (before[url], after[url]) for url in before if after[url] != before[url]}
    assert len(before) >= 20  # every page of the app, not a handful
    assert not grown, grown
