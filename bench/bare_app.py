"""The baseline page as a WSGI app for gunicorn: one query for 50 rows and a Jinja table.

`gunicorn bench.bare_app:app` with DATABASE_URL set; the throughput bench serves it beside
the real app to measure the floor on the same machine in the same run.
"""

from __future__ import annotations

import os

from bench.pages import bare_app

app = bare_app(os.environ["DATABASE_URL"], int(os.environ.get("BARE_THERAPIST_ID", "1")))
