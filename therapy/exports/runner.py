"""`python -m therapy.exports.runner <job id>`: run one export job in a process of its own."""

from __future__ import annotations

import sys

from therapy import create_app
from therapy.exports.jobs import run_job


def main(argv: list[str]) -> int:
    """Run the job named on the command line; exit 1 when it failed."""
    if len(argv) != 2 or not argv[1].isdigit():
        print("usage: python -m therapy.exports.runner <job id>", file=sys.stderr)
        return 2
    app = create_app()
    with app.app_context():
        try:
            run_job(int(argv[1]))
        except Exception as error:  # already recorded on the job; say it on stderr too
            print(f"export job {argv[1]} failed: {type(error).__name__}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
