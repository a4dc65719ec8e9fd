"""The document snapshot is plain data: JSON types only, anything else refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from therapy.services.documents.snapshot import ConsentInfo, DocumentMeta, HomeExercise, to_jsonable


def test_snapshot_becomes_json_with_iso_dates():
    meta = DocumentMeta(
        kind="treatment_report",
        title="Treatment report",
        version=2,
        final=True,
        dated=date(2025, 3, 10),
        supersedes_version=1,
        supersedes_dated=date(2025, 3, 1),
        supersedes_sha256="a" * 64,
    )
    data = {"meta": to_jsonable(meta), "items": to_jsonable((HomeExercise("1–3", "Walk"),))}
    assert json.loads(json.dumps(data)) == data
    assert data["meta"]["dated"] == "2025-03-10" and data["meta"]["final"] is True
    assert data["items"] == [{"sessions": "1–3", "text": "Walk"}]
    consent = to_jsonable(ConsentInfo(True, datetime(2025, 3, 10, 9, 30, tzinfo=UTC), "Eva"))
    assert consent["recorded_at"] == "2025-03-10T09:30:00+00:00"


def test_anything_but_plain_data_is_refused():
    class Row:
        """Stands in for an ORM object that must never reach a document."""

    with pytest.raises(TypeError, match="no place in a document snapshot"):
        to_jsonable(HomeExercise("1", Row()))  # type: ignore[arg-type]
