"""A municipality's figures for a year over 100,000 assignments with attendance.

    python -m bench.reports [--database-url URL] [--assignments 100000] [--requests 10]

Fills a fresh database (a temporary SQLite file, or with --database-url a
PostgreSQL server: a throwaway database is made beside the one named and
dropped afterwards) with one municipality of four centres, 24 activities,
2,000 volunteers and a year of sessions (five seats each, attendance marked
on past ones, a few cancelled), then asks `GET /api/v1/reports` for the
municipality's year through the app in this process and prints a table:
statements per request, median and slowest time. The goal: at most 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import make_url

QUERIES = {
    "year by month": "group_by=month",
    "year by week": "group_by=week",
    "year by quarter, by activity": "group_by=quarter&by=activity",
    "year by quarter, by interest": "group_by=quarter&by=interest",
}
# Each activity carries one interest, every third a second one too.
INTERESTS = ("language", "outdoors", "culture", "sport", "food", "digital")
SEATS = 5


def fill(db: Any, assignments: int, seed: int = 1) -> None:
    from medsam_match.models import (
        Activity,
        Assignment,
        Centre,
        Municipality,
        Session,
        Volunteer,
    )

    rng = random.Random(seed)
    now = datetime.now(UTC)
    db.session.execute(insert(Municipality), [{
        "id": 1, "name": "Arendal", "country": "NO", "timezone": "Europe/Oslo", "locale": "nb",
        "population": 45000, "network_opt_in": True, "created_at": now, "updated_at": now,
        "version": 1}])
    db.session.execute(insert(Centre), [
        {"id": c, "municipality_id": 1, "name": f"Centre {c}", "active": True,
         "created_at": now, "updated_at": now, "version": 1} for c in range(1, 5)])
    db.session.execute(insert(Activity), [
        {"id": a, "centre_id": (a - 1) % 4 + 1, "title": f"Activity {a}", "description": "",
         "interests": [INTERESTS[a % 6], *([INTERESTS[(a + 1) % 6]] if a % 3 == 0 else [])],
         "needs": [], "participants": 10, "self_signup": True,
         "roles": [{"role": "host", "min": 4, "max": SEATS}],
         "created_at": now, "updated_at": now, "version": 1} for a in range(1, 25)])
    volunteers = 2000
    db.session.execute(insert(Volunteer), [
        {"id": v, "centre_id": (v - 1) % 4 + 1, "name": f"V{v}", "skills": [], "languages": [],
         "interests": [], "certificates": [], "preferred_activity_ids": [],
         "weekly_availability": [], "unavailable": [], "active": True, "notify_channel": "email",
         "reminders": True, "created_at": now, "updated_at": now, "version": 1}
        for v in range(1, volunteers + 1)])
    sessions = assignments // SEATS
    year_start = datetime(now.year - 1, 1, 1, 9, tzinfo=UTC)
    session_rows, seat_rows = [], []
    seat_id = 0
    for s in range(1, sessions + 1):
        activity = rng.randint(1, 24)
        start = year_start + timedelta(minutes=rng.randrange(0, 365 * 24 * 60 // 30) * 30)
        end = start + timedelta(hours=2)
        status = "cancelled" if rng.random() < 0.03 else "scheduled"
        session_rows.append({
            "id": s, "activity_id": activity, "start": start, "end": end, "window_start": start,
            "window_end": end, "optional": False, "status": status,
            "participants": rng.randint(3, 20), "created_at": now, "updated_at": now,
            "version": 1})
        centre = (activity - 1) % 4 + 1
        chosen = rng.sample(range(centre, volunteers + 1, 4), SEATS)
        for v in chosen:
            seat_id += 1
            attendance = ("no_show" if rng.random() < 0.08 else "attended") if end < now else None
            seat_rows.append({
                "id": seat_id, "volunteer_id": v, "session_id": s, "role": "host",
                "status": "confirmed", "locked": False, "attendance": attendance,
                "created_at": now, "updated_at": now})
    for i in range(0, len(session_rows), 5000):
        db.session.execute(insert(Session), session_rows[i:i + 5000])
    for i in range(0, len(seat_rows), 5000):
        db.session.execute(insert(Assignment), seat_rows[i:i + 5000])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        for table in ("session", "assignment", "activity", "centre", "volunteer"):
            db.session.execute(text(f'ANALYZE "{table}"'))
        db.session.commit()
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args(argv)
    os.environ.setdefault("MEDSAM_SECRET_KEY", secrets.token_urlsafe(48))
    drop = None
    if args.database_url.startswith("postgresql"):
        admin_url = make_url(args.database_url)
        name = f"medsam_bench_reports_{uuid.uuid4().hex[:6]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin_url.set(database=name).render_as_string(hide_password=False)

        def drop() -> None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    else:
        url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='medsam-bench-')}/r.db"

    from medsam_match import create_app
    from medsam_match.auth import create_token
    from medsam_match.extensions import db

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "MEDSAM_SCHEDULER": "off", "RATELIMIT_ENABLED": False,
         "MEDSAM_RATE_LIMIT_PER_MINUTE": 0, "TESTING": True},
        check_schema=False,
    )
    try:
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            fill(db, args.assignments)
            filled_s = time.perf_counter() - started
            token = create_token("municipality", municipality_id=1, label="bench")
            engine = db.engine
            year = datetime.now(UTC).year - 1
        print(f"{engine.dialect.name}: {args.assignments:,} assignments filled in {filled_s:.1f} s")
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        statements = [0]

        def count(*_: Any) -> None:
            statements[0] += 1

        event.listen(engine, "before_cursor_execute", count)
        print(f"| {'report (municipality, ' + str(year) + ')':<40} | statements | median ms | max ms |")
        print(f"|{'-' * 42}|-----------:|----------:|-------:|")
        for label, query in QUERIES.items():
            path = f"/api/v1/reports?scope=municipality:1&from={year}-01-01&to={year}-12-31&{query}"
            response = client.get(path, headers=headers)  # warm up
            assert response.status_code == 200, response.json
            times = []
            statements[0] = 0
            for _ in range(args.requests):
                begun = time.perf_counter()
                assert client.get(path, headers=headers).status_code == 200
                times.append((time.perf_counter() - begun) * 1000)
            print(f"| {label:<40} | {statements[0] // args.requests:>10} | "
                  f"{statistics.median(times):>9.0f} | {max(times):>6.0f} |")
        event.remove(engine, "before_cursor_execute", count)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        if drop is not None:
            drop()


if __name__ == "__main__":
    main()
