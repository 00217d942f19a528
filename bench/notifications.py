"""Messages benchmark: enqueueing the messages of an M-sized publish, and
delivering e-mail to a local SMTP server.

On a fresh database (SQLite in a temporary folder; PostgreSQL too when
MEDSAM_BENCH_POSTGRES_URL is set: a throwaway database beside the one it
names, dropped afterwards) a centre with 800 volunteers (each with an
e-mail address) and 250 sessions gets a plan of 1,000 proposed assignments
published the way a run publishes it (`Window.load` + `publish` + commit),
which writes the outbox rows in the same transaction. Then the sender
delivers every message to an aiosmtpd server in this process.

- `publish_s`: the whole publish (window, 1,000 assignments, outbox rows,
  commit); `enqueue_s`: the outbox part of it; `messages`: rows written
  (one per volunteer);
- `deliver_s`, `mails_per_s`: rendering (text, HTML, iCalendar) and sending
  every message over one SMTP connection, marking each sent.

    python -m bench.notifications [--volunteers 800] [--assignments 1000]

Prints a table and writes it to bench/results/notifications-<time>.csv.
Targets (issue 9): enqueued within 2 s of the publish; at least 50 e-mails
a second.
"""

from __future__ import annotations

import argparse
import os
import socket
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .report import format_table, machine_note, write_csv

POSTGRES_URL_ENV = "MEDSAM_BENCH_POSTGRES_URL"
START = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)
COLUMNS = ("database", "volunteers", "assignments", "messages", "publish_s", "enqueue_s",
           "deliver_s", "mails_per_s", "targets_met")


class _Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.count += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _world(volunteers: int, sessions: int) -> tuple[int, list[int], list[int]]:
    from medsam_match.extensions import db
    from medsam_match.models import Activity, Centre, Municipality, Place, Session, User, Volunteer

    municipality = Municipality(name="Arendal", country="NO", timezone="Europe/Oslo", locale="nb")
    db.session.add(municipality)
    db.session.flush()
    centre = Centre(municipality_id=municipality.id, name="Arendal frivilligsentral",
                    email="post@frivillig.test")
    place = Place(municipality_id=municipality.id, name="Biblioteket",
                  address="Torvet 1, 4836 Arendal", lat=58.4615, lon=8.7725)
    db.session.add_all([centre, place])
    db.session.flush()
    db.session.add(User(email="koordinator@frivillig.test", name="Kari", role="coordinator",
                        centre_id=centre.id, password_hash="x"))
    activity = Activity(centre_id=centre.id, title="Leksehjelp",
                        roles=[{"role": "helper", "min": 1, "max": 6}])
    db.session.add(activity)
    db.session.flush()
    rows = []
    for index in range(sessions):
        start = START + timedelta(days=index // 8, hours=index % 8)
        rows.append(Session(activity_id=activity.id, start=start, end=start + timedelta(hours=1),
                            place_id=place.id, status="planned", window_start=start,
                            window_end=start + timedelta(hours=1)))
    people = [Volunteer(centre_id=centre.id, name=f"Frivillig {i}",
                        email=f"frivillig{i}@example.test") for i in range(volunteers)]
    db.session.add_all([*rows, *people])
    db.session.commit()
    return centre.id, [s.id for s in rows], [v.id for v in people]


def measure(url: str, label: str, volunteers: int, assignments: int) -> dict[str, Any]:
    from aiosmtpd.controller import Controller

    from medsam_match import create_app
    from medsam_match.extensions import db
    from medsam_match.models import MatchRun, OutboxMessage
    from medsam_match.services import notifications
    from medsam_match.services.notifications.delivery import deliver_due
    from medsam_match.services.runs.publish import Window, publish

    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    folder = tempfile.mkdtemp(prefix="medsam-bench-mail-")
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url, "MEDSAM_SCHEDULER": "off", "MEDSAM_CHECK_SCHEMA": False,
        "SECRET_KEY": "bench-" + uuid.uuid4().hex, "MEDSAM_SMTP_HOST": "127.0.0.1",
        "MEDSAM_SMTP_PORT": port, "MEDSAM_SMTP_SECURITY": "none",
        "MEDSAM_BASE_URL": "https://medsam.bench", "MEDSAM_DATA_DIR": folder,
        "MEDSAM_LOG_LEVEL": "WARNING",
    }, check_schema=False)
    try:
        with app.app_context():
            db.create_all()
            sessions = max(1, assignments // 4)
            centre_id, session_ids, volunteer_ids = _world(volunteers, sessions)
            plan = [(volunteer_ids[i % len(volunteer_ids)], session_ids[i % len(session_ids)],
                     "helper") for i in range(assignments)]
            run = MatchRun(centre_id=centre_id, window_from=START - timedelta(days=1),
                           window_to=START + timedelta(days=90), status="running")
            db.session.add(run)
            db.session.commit()
            result = {"status": "optimal", "assignments": [
                {"volunteer": str(v), "session": str(s), "role": r} for v, s, r in plan]}

            enqueue_time = 0.0
            original = notifications.on_published

            def timed(*args: Any, **kwargs: Any) -> int:
                nonlocal enqueue_time
                began = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    enqueue_time += time.perf_counter() - began

            notifications.on_published = timed  # type: ignore[assignment]
            began = time.perf_counter()
            try:
                publish(run, Window.load(run), result)
                db.session.commit()
            finally:
                notifications.on_published = original  # type: ignore[assignment]
            publish_s = time.perf_counter() - began
            messages = db.session.query(OutboxMessage).count()

            began = time.perf_counter()
            outcome = deliver_due(app.config, worker="bench")
            deliver_s = time.perf_counter() - began
            db.drop_all()
        sent = len(outcome.sent)
        assert sink.count == sent == messages, (sink.count, sent, messages)
        rate = sent / deliver_s if deliver_s else 0.0
        return {
            "database": label, "volunteers": volunteers, "assignments": assignments,
            "messages": messages, "publish_s": round(publish_s, 2),
            "enqueue_s": round(enqueue_time, 2), "deliver_s": round(deliver_s, 1),
            "mails_per_s": round(rate, 1),
            "targets_met": "yes" if publish_s <= 2.0 and rate >= 50 else "NO",
        }
    finally:
        controller.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--volunteers", type=int, default=800)
    parser.add_argument("--assignments", type=int, default=1000)
    args = parser.parse_args(argv)
    print(f"messages benchmark ({machine_note()})")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        rows.append(measure(f"sqlite:///{Path(folder) / 'bench.db'}", "sqlite",
                            args.volunteers, args.assignments))
    server = os.environ.get(POSTGRES_URL_ENV, "")
    if server:
        admin = make_url(server)
        name = f"medsam_bench_{uuid.uuid4().hex[:8]}"
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            rows.append(measure(admin.set(database=name).render_as_string(hide_password=False),
                                "postgresql", args.volunteers, args.assignments))
        finally:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            engine.dispose()
    print(format_table(COLUMNS, rows))
    print(f"written to {write_csv('notifications', COLUMNS, rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
