"""A later session logged at a therapist's typing pace, in Chromium, from the Today page.

`.venv/bin/python -m bench.journey [--pace 0.3] [--point 1.5]` (part of `make bench`). The demo
practice (Dutch) is seeded into a fresh SQLite database and served by gunicorn; the therapist
has two snippets of her own. Chromium opens Today and logs the planned session of a patient in
treatment the way a therapist does after a treatment: the symptom course, one SCEBS note, the
same protocol elements as last time with a note under one, both goals re-rated, last time's
home exercises copied, a plan typed with a snippet, and the alliance check-in.

Every key is typed with `--pace` seconds between keys (0.3 s: about 40 words a minute, an
ordinary typist), and every interaction (a click, or moving to another field) waits `--point`
seconds first (finding the spot and pointing at it). The figure is the wall-clock time from
Today to the saved session, so the app's own page loads and saves are in it. Prints the
`target:` line; exit status 1 when the goal is missed or the session did not arrive as typed.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import Locator, Page, sync_playwright
from sqlalchemy import select

from bench.live import Server, free_port, server_env, session_cookie
from therapy import create_app
from therapy.extensions import db
from therapy.models import TextSnippet, TherapySession, User
from therapy.services.demo.practice import seed_demo_practice

CHROMIUM = "/usr/bin/chromium"
GOAL_SECONDS, GOAL_INTERACTIONS = 120, 15
PLAN_SNIPPET = ("afspr", "Volgende keer: activiteitenopbouw bespreken en het dagboek nakijken.")
WALK_SNIPPET = ("wand", "dagelijks 15 minuten wandelen")
# What the therapist types herself (snippet names are typed, then Tab inserts them).
SYMPTOMS = "Rugpijn iets minder, twee nachten goed geslapen; dinsdag terugval na een drukke dag."
COGNITIVE = "Denkt minder dat rust de enige oplossing is."
BODY_NOTE = "Ademhaling 4-6 geoefend, gaat vlotter dan vorige week."
RATINGS = ("7", "8")
ALLIANCE = ("9", "8", "8")


@dataclass
class Hand:
    """The therapist's hand on the keyboard and mouse: paced, and counted."""

    page: Page
    pace: float
    point: float
    interactions: int = 0
    keys: int = 0
    done: list[str] = field(default_factory=list)

    def click(self, locator: Locator, what: str) -> None:
        """Find the spot, point at it, click."""
        self.page.wait_for_timeout(self.point * 1000)
        locator.click()
        self.interactions += 1
        self.done.append(what)

    def type_into(self, locator: Locator, text: str, what: str, *, snippet: bool = False) -> None:
        """Click into a field and type at the pace; a snippet's short name ends with Tab."""
        self.click(locator, what)
        self.page.keyboard.type(text, delay=self.pace * 1000)
        self.keys += len(text)
        if snippet:
            self.page.wait_for_timeout(self.pace * 1000)
            self.page.keyboard.press("Tab")
            self.keys += 1


def _prepare(url: str, scratch: Path, secret: str) -> tuple[str, str, str]:
    """Seed the Dutch demo practice and the snippets; the first therapist's cookie."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(scratch), "SECRET_KEY": secret}
    )
    with app.app_context():
        upgrade()
        seed_demo_practice(language="nl")
        therapist = db.session.scalars(select(User).order_by(User.id)).first()
        assert therapist is not None
        for name, text in (PLAN_SNIPPET, WALK_SNIPPET):
            db.session.add(TextSnippet(user_id=therapist.id, name=name, text=text))
        db.session.commit()
        cookie = session_cookie(app, therapist)
        name = str(app.config["SESSION_COOKIE_NAME"])
        db.engine.dispose()
    return name, cookie, url


def _journey(hand: Hand, base: str) -> str:
    """From Today to the saved session; the URL of the page the save led to."""
    page = hand.page
    page.goto(f"{base}/today")
    # The last patient on today's list: one in treatment with sessions before this one.
    hand.click(page.locator("tbody tr a.button--primary").last, "open the planned session")
    page.wait_for_selector("#symptom_course")
    hand.type_into(page.locator("#symptom_course"), SYMPTOMS, "symptoms since last time")
    hand.type_into(page.locator("#scebs_cognitive"), COGNITIVE, "a cognitive SCEBS note")
    hand.click(page.locator("#copy-elements"), "same elements as last time")
    hand.type_into(page.locator("#body-note"), BODY_NOTE, "a note under body-oriented exercises")
    for index, rating in enumerate(RATINGS):
        hand.type_into(page.locator(f"#goals-{index}-score"), rating, f"goal {index + 1}")
    hand.click(page.locator("#copy-home-exercises"), "copy last home exercises")
    hand.type_into(page.locator("#notes"), PLAN_SNIPPET[0], "the plan, by snippet", snippet=True)
    for name, rating in zip(("bond", "goals", "tasks"), ALLIANCE, strict=True):
        hand.type_into(page.locator(f"#alliance_{name}"), rating, f"alliance: {name}")
    with page.expect_navigation():
        hand.click(page.locator("main [type=submit][name=submit]"), "save")
    return page.url


def _arrived(url: str) -> tuple[bool, str]:
    """Whether the newest session holds what was typed, copied and inserted."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        newest = db.session.scalars(
            select(TherapySession).order_by(TherapySession.id.desc())
        ).first()
        assert newest is not None
        earlier = db.session.scalar(
            select(TherapySession).where(
                TherapySession.episode_id == newest.episode_id,
                TherapySession.number == newest.number - 1,
            )
        )
        checks = {
            "symptoms typed": newest.symptom_course == SYMPTOMS,
            "plan from the snippet": newest.notes == PLAN_SNIPPET[1],
            "home exercises copied": earlier is not None
            and newest.home_exercises == earlier.home_exercises != "",
            "elements carried": len(newest.techniques) > 0,
            "body note typed": newest.body_note == BODY_NOTE,
            "check-in saved": newest.alliance is not None and newest.alliance.bond == 9,
        }
        db.engine.dispose()
    missing = [name for name, held in checks.items() if not held]
    return not missing, ", ".join(missing)


def main() -> int:
    """Seed, serve, type the session, print the figure and the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pace", type=float, default=0.3, help="seconds between keys")
    parser.add_argument("--point", type=float, default=1.5, help="seconds before each action")
    args = parser.parse_args()
    os.environ.setdefault("THERAPY_ENV", "development")
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        port = free_port()
        env = server_env(f"sqlite:///{scratch / 'journey.db'}", scratch, port)
        name, cookie, url = _prepare(env["DATABASE_URL"], scratch, env["SECRET_KEY"])
        server = Server(env, port)
        server.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                context = browser.new_context(
                    viewport={"width": 1366, "height": 768}, locale="nl-NL"
                )
                base = f"http://127.0.0.1:{port}"
                context.add_cookies([{"name": name, "value": cookie, "url": base}])
                hand = Hand(context.new_page(), args.pace, args.point)
                began = time.monotonic()
                landed = _journey(hand, base)
                seconds = time.monotonic() - began
                browser.close()
        finally:
            server.stop()
        arrived, missing = _arrived(url)
    print(
        f"\n== a later session logged from Today in Chromium (Dutch demo practice, SQLite)\n"
        f"  {hand.keys} keys at {args.pace} s each, {hand.interactions} interactions "
        f"with {args.point} s to point at each; landed on {landed.split(str(port))[-1]}\n"
        f"  steps: {'; '.join(hand.done)}\n"
        f"  the saved session holds what was typed: {'yes' if arrived else 'NO: ' + missing}"
    )
    ok = seconds <= GOAL_SECONDS and hand.interactions <= GOAL_INTERACTIONS
    print(
        f"target: session logged at typing pace {seconds:.0f} s, {hand.interactions} "
        f"interactions (goal <= {GOAL_SECONDS} s, <= {GOAL_INTERACTIONS}) "
        f"{'met' if ok else 'MISSED'}"
    )
    ok &= arrived
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
