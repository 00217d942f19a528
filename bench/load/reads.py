"""What one read costs the application: SQL statements, CPU and Python calls
per request, for the reads of the load test, without an HTTP server.

    python -m bench.load.reads [--database-url URL] [--requests 150]

Loads the demo network into a fresh database (a temporary SQLite file unless
--database-url names an empty one), plans every centre once (the nightly
tick and the run worker), then asks through the app in this process, as a
volunteer with assignments (signed in to /my/, and with their token) and as
their centre's coordinator (token): /my/, the volunteer's own assignments,
and the volunteers, assignments and sessions lists (page_size 50). Prints
statements per request, the lowest of three CPU-millisecond averages, and
Python function calls per request (counted by cProfile: the same for the
same code and data, whatever else the machine does).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import secrets
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, select

CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
HTTPS = "https://localhost"  # the page's cookies are Secure


def build(url: str) -> Any:
    from medsam_match import create_app
    from medsam_match.demo import load_demo
    from medsam_match.extensions import db
    from medsam_match.jobs.nightly import NightlySettings, nightly_tick
    from medsam_match.jobs.worker import run_pending

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MEDSAM_SCHEDULER": "off",
                      "RATELIMIT_ENABLED": False, "MEDSAM_BROKER_URL": ""}, check_schema=False)
    today = date.today()
    with app.app_context():
        db.create_all()
        load_demo(today=today)
        settings = NightlySettings.from_config(app.config)
        night = datetime.combine(today + timedelta(days=1), settings.at,
                                 tzinfo=ZoneInfo("Europe/Oslo"))
        nightly_tick((night + timedelta(minutes=5)).astimezone(UTC), settings)
        db.session.remove()
    run_pending(app)
    return app


def cases(app: Any) -> dict[str, Callable[[], Any]]:
    from medsam_match.auth import create_token
    from medsam_match.extensions import db
    from medsam_match.models import Assignment, Volunteer

    with app.app_context():
        volunteer = db.session.scalars(
            select(Volunteer).join(Assignment, Assignment.volunteer_id == Volunteer.id)
            .order_by(Volunteer.id).limit(1)).one()
        volunteer_id, centre_id = volunteer.id, volunteer.centre_id
        own = create_token("volunteer", volunteer_id=volunteer_id, label="bench")
        coordinator = create_token("coordinator", centre_id=centre_id, label="bench")
    client = app.test_client()
    page = client.get("/my/", base_url=HTTPS).get_data(as_text=True)
    match = CSRF.search(page)
    assert match, "no sign-in form on /my/"
    signed = client.post("/my/sign-in", data={"token": own, "csrf_token": match.group(1)},
                         base_url=HTTPS)
    assert signed.status_code == 303, signed.status_code

    def api(path: str, token: str) -> Callable[[], Any]:
        return lambda: client.get(path, headers={"Authorization": f"Bearer {token}"})

    return {
        "volunteer: /my/": lambda: client.get("/my/", base_url=HTTPS),
        "volunteer: own assignments": api(f"/api/v1/volunteers/{volunteer_id}/assignments", own),
        "coordinator: volunteers (50)": api("/api/v1/volunteers?page_size=50", coordinator),
        "coordinator: assignments (50)": api("/api/v1/assignments?page_size=50", coordinator),
        "coordinator: sessions (50)": api("/api/v1/sessions?page_size=50", coordinator),
    }


def measure(app: Any, requests: int) -> list[tuple[str, int, float, float]]:
    from medsam_match.extensions import db

    with app.app_context():
        engine = db.engine
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    rows = []
    for name, ask in cases(app).items():
        for _ in range(10):  # warm up (and the token's last_used_at written)
            answer = ask()
            assert answer.status_code == 200, (name, answer.status_code)
        event.listen(engine, "before_cursor_execute", count)
        statements[0] = 0
        ask()
        event.remove(engine, "before_cursor_execute", count)
        cpu = []
        for _ in range(3):
            started = time.process_time()
            for _ in range(requests):
                ask()
            cpu.append((time.process_time() - started) * 1000 / requests)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(20):
            ask()
        profile.disable()
        calls = pstats.Stats(profile).total_calls / 20  # type: ignore[attr-defined]
        rows.append((name, statements[0], min(cpu), calls))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=150)
    args = parser.parse_args(argv)
    os.environ.setdefault("MEDSAM_SECRET_KEY", secrets.token_urlsafe(48))
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='medsam-reads-')}/bench.db"
    rows = measure(build(url), args.requests)
    print("| request | statements | CPU ms | Python calls |")
    print("|---|---:|---:|---:|")
    for name, statements, cpu, calls in rows:
        print(f"| {name} | {statements} | {cpu:.1f} | {calls:,.0f} |")


if __name__ == "__main__":
    main()
