"""kill -9 under a stream of saves loses no acknowledged save (short version; bench/crash.py
runs the long one)."""

from __future__ import annotations

from pathlib import Path

from bench.crash import run_crash_test
from tests import figures


def test_kill_9_loses_no_acknowledged_save(database_url: str, tmp_path: Path) -> None:
    result = run_crash_test(database_url, runs=3, workdir=tmp_path)
    assert result.acknowledged > 0, "the server never acknowledged a save: nothing was tested"
    assert result.lost == []
    assert result.integrity == "ok"
    assert result.chain_intact
    figures.report("crash", result.line())
