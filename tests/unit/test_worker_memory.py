"""A web worker does not carry what only an export needs (bench.throughput: ≤ 150 MB a worker).

fhir.resources' R4 models and pydantic are some 25 MB of a process; they are loaded when the
first resource is checked (therapy.exports.fhir.validate), not when the app starts.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import os, sys
os.environ["THERAPY_ENV"] = "test"
from therapy import create_app
create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1], "SECRET_KEY": "x" * 32,
            "INSTANCE_PATH": sys.argv[2]})
print(" ".join(sorted(m for m in sys.modules if m.startswith(("fhir.", "pydantic")))))
from therapy.exports.fhir.validate import ResourceValidator
ResourceValidator().check({"resourceType": "Patient", "id": "p1", "gender": "female"})
print("fhir.resources" in sys.modules)
"""


def test_the_fhir_models_load_at_the_first_export_not_at_start(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "app.db"), str(tmp_path)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    at_start, after_export = done.stdout.splitlines()[-2:]
    assert at_start == ""
    assert after_export == "True"
