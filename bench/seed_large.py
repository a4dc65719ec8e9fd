"""Seed a large practice fast with bulk inserts (Core, not the ORM): a network of practices.

Default size: 10,000 patients over 50 therapists, one episode each and about 12 sessions per
episode on average (about 120,000 sessions), three PSFS goals rated at every session, PHQ-15
at baseline and at the end of closed episodes, and an alliance check-in per session."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Integer, Table, insert

from therapy.extensions import db
from therapy.services.accounts.passwords import hash_password
from therapy.services.phq15 import scoring as phq15

BENCH_PASSWORD = "bench-password-2026"  # noqa: S105  (benchmark databases only)
CHUNK = 5000
ELEMENTS = ("education", "body", "cognitive", "activating")


def _chunks(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _bulk(connection: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    for chunk in _chunks(rows):
        connection.execute(insert(table), chunk)
        count += len(chunk)
    return count


def _table(name: str) -> Table:
    return db.metadata.tables[name]


def seed_large(
    connection: Connection, *, patients: int = 10_000, therapists: int = 50, sessions: int = 12
) -> dict[str, int]:
    """Insert the practice through one connection (the caller commits); returns row counts."""
    rng = random.Random(8)
    now = datetime.now(UTC)
    today = date.today()
    password = hash_password(BENCH_PASSWORD)
    counts: dict[str, int] = {}
    counts["user_account"] = _bulk(
        connection,
        _table("user_account"),
        (
            {
                "id": n,
                "email": f"therapist{n}@bench.example",
                "full_name": f"Therapist {n}",
                "role": "therapist",
                "profession": "physical_therapist",
                "registration_number": "",
                "password_hash": password,
                "is_active": True,
                "session_token": f"{n:032x}",
                "created_at": now,
                "password_changed_at": now,
            }
            for n in range(1, therapists + 1)
        ),
    )
    counts["general_practitioner"] = _bulk(
        connection,
        _table("general_practitioner"),
        (
            {
                "id": n,
                "name": f"Dr. GP {n}",
                "practice_name": "Health centre",
                "address": "",
                "postcode": "",
                "city": "Utrecht",
                "phone": "",
                "email": "",
                "agb_code": "",
                "created_at": now,
            }
            for n in range(1, 101)
        ),
    )
    counts["patient"] = _bulk(
        connection,
        _table("patient"),
        (
            {
                "id": n,
                "therapist_id": 1 + n % therapists,
                "record_number": f"B{n:07d}",
                "given_name": f"Given{n}",
                "family_name": f"Family{n:05d}",
                "date_of_birth": date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
                "sex": ("female", "male")[n % 2],
                "education_level": "middle",
                "address": "",
                "phone": "",
                "email": "",
                "gp_id": 1 + n % 100,
                "other_symptoms": "",
                "symptom_intensity": n % 11,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for n in range(1, patients + 1)
        ),
    )
    counts["patient_symptom"] = _bulk(
        connection,
        _table("patient_symptom"),
        (
            {"patient_id": n, "symptom": symptom}
            for n in range(1, patients + 1)
            for symptom in ("fatigue", "back_pain", "headaches")[: 1 + n % 3]
        ),
    )
    episodes = []
    for n in range(1, patients + 1):
        # One in twenty just referred; the rest spread around the mean number of sessions.
        held = 0 if n % 20 == 0 else sessions - 4 + n % 10
        closed = n % 3 == 0 and held >= 6
        started = today - timedelta(weeks=held + 2)
        episodes.append((n, held, closed, started))
    counts["treatment_episode"] = _bulk(
        connection,
        _table("treatment_episode"),
        (
            {
                "id": n,
                "patient_id": n,
                "therapist_id": 1 + n % therapists,
                "status": "closed" if closed else ("active" if held else "intake"),
                "referral_date": started,
                "referred_by_id": 1 + n % 100,
                "referral_question": "Persistent symptoms; please treat.",
                "request_for_help": "I want to do my daily activities again.",
                "expectations": "",
                "planned_sessions": 12,
                "planned_sessions_reason": "",
                "started_on": started,
                "closed_on": started + timedelta(weeks=held) if closed else None,
                "ending_reason": "goals_reached" if closed else None,
                "ending_reason_detail": "",
                "outcome": "Goals reached." if closed else "",
                "relapse_prevention": "",
                "advice": "",
                "gp_consent": closed or None,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for n, held, closed, started in episodes
        ),
    )
    session_rows = []
    session_id = 0
    for n, held, _closed, started in episodes:
        for number in range(1, held + 1):
            session_id += 1
            minutes = rng.choice((30, 40, 45))
            session_rows.append((session_id, n, number, started + timedelta(weeks=number), minutes))
    counts["therapy_session"] = _bulk(
        connection,
        _table("therapy_session"),
        (
            {
                "id": sid,
                "episode_id": episode,
                "number": number,
                "held_on": held_on,
                "duration_minutes": minutes,
                "attendance": "attended",
                "education_minutes": 10,
                "body_minutes": 15,
                "cognitive_minutes": 5,
                "activating_minutes": minutes - 30,
                "education_note": "",
                "body_note": "",
                "cognitive_note": "",
                "activating_note": "",
                "scebs_somatic": "Less pain this week.",
                "scebs_cognitive": "",
                "scebs_emotional": "",
                "scebs_behavioural": "",
                "scebs_social": "",
                "symptom_course": "Slightly better.",
                "home_exercises": "Breathing twice daily.",
                "notes": "",
                "created_by_id": 1 + episode % therapists,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for sid, episode, number, held_on, minutes in session_rows
        ),
    )
    counts["session_technique"] = _bulk(
        connection,
        _table("session_technique"),
        (
            {"session_id": sid, "element": element, "technique": technique}
            for sid, *_ in session_rows
            for element, technique in (("body", "breathing"), ("education", "body_mind_link"))
        ),
    )
    counts["alliance_checkin"] = _bulk(
        connection,
        _table("alliance_checkin"),
        (
            {
                "id": sid,
                "session_id": sid,
                "bond": 8,
                "goals": 7,
                "tasks": 8 - sid % 4,
                "left_unsaid": "",
                "created_at": now,
            }
            for sid, *_ in session_rows
        ),
    )
    counts.update(_goals(connection, episodes, session_rows, now))
    counts["phq15_administration"] = _bulk(
        connection, _table("phq15_administration"), _phq15_rows(episodes, therapists, now, rng)
    )
    _reset_sequences(connection)
    # A practice's database has planner statistics (PostgreSQL's autovacuum gathers them; a
    # SQLite deployment runs PRAGMA optimize); a bulk load queried at once would not.
    connection.exec_driver_sql("ANALYZE")
    return counts


def _reset_sequences(connection: Connection) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the seeded rows."""
    if connection.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        column = table.columns.get("id")
        if column is not None and column.primary_key and isinstance(column.type, Integer):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                f"coalesce((SELECT max(id) FROM {table.name}), 1))"
            )


def _goals(
    connection: Connection, episodes: list[Any], session_rows: list[Any], now: datetime
) -> dict[str, int]:
    goals = [
        (episode * 3 + position - 3, episode, position, started)
        for episode, held, _closed, started in episodes
        if held
        for position in (1, 2, 3)
    ]
    count = _bulk(
        connection,
        _table("goal"),
        (
            {
                "id": gid,
                "episode_id": episode,
                "position": position,
                "activity": f"Activity {position}",
                "patient_words": "",
                "status": "active",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for gid, episode, position, _started in goals
        ),
    )
    by_episode: dict[int, list[Any]] = {}
    for row in session_rows:
        by_episode.setdefault(row[1], []).append(row)

    def ratings() -> Iterator[dict[str, Any]]:
        for gid, episode, _position, started in goals:
            yield {
                "goal_id": gid,
                "session_id": None,
                "occasion": "baseline",
                "rated_on": started,
                "score": 3,
                "created_at": now,
            }
            for sid, _episode, number, held_on, _minutes in by_episode.get(episode, ()):
                yield {
                    "goal_id": gid,
                    "session_id": sid,
                    "occasion": "review",
                    "rated_on": held_on,
                    "score": min(10, 3 + number // 2),
                    "created_at": now,
                }

    return {"goal": count, "goal_rating": _bulk(connection, _table("goal_rating"), ratings())}


def _phq15_rows(
    episodes: list[Any], therapists: int, now: datetime, rng: random.Random
) -> Iterator[dict[str, Any]]:
    for episode, held, closed, started in episodes:
        moments = [("baseline", started)] if held else []
        if closed:
            moments.append(("end_of_treatment", started + timedelta(weeks=held)))
        for timepoint, day in moments:
            answers: list[int | str | None] = [rng.choice((0, 1, 1, 2)) for _ in range(15)]
            male = episode % 2 == 1
            if male:
                answers[3] = phq15.NOT_APPLICABLE
            result = phq15.score(answers, "male" if male else "female")
            row = {
                f"item_{i:02d}": (None if a == phq15.NOT_APPLICABLE else a)
                for i, a in enumerate(answers, start=1)
            }
            row.update(
                episode_id=episode,
                timepoint=timepoint,
                session_id=None,
                timepoint_note="",
                administered_on=day,
                item_04_not_applicable=male,
                total=result.total,
                rule=result.rule.value,
                entered_by_id=1 + episode % therapists,
                created_at=now,
            )
            yield row
