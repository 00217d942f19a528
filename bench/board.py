"""The coordinator's week board and a session's candidates for an M-sized
centre (1,000 volunteers, 600 sessions a week): server time per request.

The centre is issue 3's M scenario written into the database
(bench.planning_centre), with a plan's worth of assignments (the minimum of
every role, drawn at random, confirmed, proposed or declined). The board is
fetched signed in as the centre's coordinator, the candidates with a
coordinator's token, through the app in this process (the Flask test client:
no network, so the times are the server's), after the start-up objects are
frozen out of the garbage collector's sight as the served app does. Wall
and CPU time per request (the CPU time is the server's own work, whatever
else the machine does). Targets (issue 8): board p95 <= 300 ms, candidates
p95 <= 200 ms.

    python -m bench.board [--requests 30] [--seed 0] [--database-url URL]
                          [--profile board|candidates]

--profile prints where the time of 5 such requests goes, as a call tree by
pyinstrument (a development tool, not a dependency: pip install pyinstrument).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import tempfile
from typing import Any

from .report import format_table, machine_note, timed, timing_row, write_csv

COLUMNS = ("request", "requests", "p50 ms", "p95 ms", "max ms", "p95 cpu ms", "target p95 ms",
           "met")
TARGETS = {"board": 300.0, "candidates": 200.0}
PASSWORD = "bench password 123"


def _assignments(centre_id: int, seed: int) -> int:
    """The minimum of every role filled with random volunteers."""
    from sqlalchemy import select

    from medsam_match.extensions import db
    from medsam_match.models import Activity, Assignment, Session, Volunteer

    rng = random.Random(seed)
    volunteers = list(db.session.scalars(select(Volunteer.id).where(Volunteer.centre_id == centre_id)))
    sessions = db.session.scalars(
        select(Session).join(Activity).where(Activity.centre_id == centre_id)).all()
    made = 0
    for session in sessions:
        if session.start is None and session.options:  # an open session: take its first option
            first = session.options[0]
            from datetime import datetime

            session.start = datetime.fromisoformat(first["start"])
            session.end = datetime.fromisoformat(first["end"])
            session.place_id = first.get("place_id")
        chosen = rng.sample(volunteers, sum(int(r.get("min", 1)) for r in session.activity.roles))
        for role in session.activity.roles:
            for _ in range(int(role.get("min", 1))):
                status = rng.choices(("confirmed", "proposed", "declined"), (6, 3, 1))[0]
                db.session.add(Assignment(volunteer_id=chosen.pop(), session_id=session.id,
                                          role=role["role"], status=status))
                made += 1
    db.session.commit()
    return made


def _timed(client: Any, path: str, count: int, warm: int = 3,
           **kwargs: Any) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of `count` GETs of `path` (`report.timed`)."""
    def call() -> None:
        response = client.get(path, **kwargs)
        assert response.status_code == 200, (path, response.status_code, response.data[:300])
    return timed(call, count, warm)


def _profile(client: Any, what: str, board_path: str, candidates_path: str,
             session_ids: list[int], headers: dict[str, str]) -> None:
    from pyinstrument import Profiler

    paths = ([(board_path, {})] * 5 if what == "board" else
             [(candidates_path.format(i), {"headers": headers}) for i in session_ids[:5]])
    for path, kwargs in paths[:2]:  # warm up
        client.get(path, **kwargs)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for path, kwargs in paths:
        assert client.get(path, **kwargs).status_code == 200
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False))


def _row(name: str, measured: tuple[list[float], list[float]]) -> dict[str, Any]:
    row = timing_row(name, measured)
    return {**row, "target p95 ms": TARGETS[name],
            "met": "yes" if row["p95 ms"] <= TARGETS[name] else "NO"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", choices=("board", "candidates"), default=None)
    args = parser.parse_args(argv)
    if args.profile:
        try:
            import pyinstrument  # noqa: F401
        except ImportError:
            parser.error("--profile needs pyinstrument: .venv/bin/pip install pyinstrument")
    os.environ.setdefault("MEDSAM_SECRET_KEY", secrets.token_urlsafe(48))
    folder = tempfile.mkdtemp(prefix="medsam-bench-board-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"

    from sqlalchemy import select

    from medsam_match import create_app
    from medsam_match.auth import create_token
    from medsam_match.extensions import db
    from medsam_match.models import Activity, Session
    from medsam_match.services.users import create_user

    from .planning_centre import build_m_centre

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MEDSAM_SCHEDULER": "off",
                      "MEDSAM_RATE_LIMIT_PER_MINUTE": 0, "SESSION_COOKIE_SECURE": False},
                     check_schema=False)
    with app.app_context():
        db.create_all()
        built = build_m_centre(args.seed)
        made = _assignments(built.centre_id, args.seed)
        create_user(email="bench@example.no", name="Bench", role="coordinator",
                    centre_id=built.centre_id, password=PASSWORD)
        token = create_token("coordinator", centre_id=built.centre_id, label="bench")
        first = min(db.session.scalars(
            select(Session.window_start).join(Activity).where(
                Activity.centre_id == built.centre_id)))
        session_ids = list(db.session.scalars(
            select(Session.id).join(Activity).where(Activity.centre_id == built.centre_id)))
    week = first.date().isoformat()
    print(f"M centre: {built.volunteers} volunteers, {built.sessions} sessions, "
          f"{made} assignments; week of {week}; {url.split(':')[0]}")

    # As the served app does after start-up (medsam_match/served.py).
    from medsam_match.served import freeze_startup_objects

    freeze_startup_objects()
    client = app.test_client()
    page = client.get("/signin").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    assert csrf, "no CSRF token on the sign-in page"
    signed = client.post("/signin", data={"email": "bench@example.no", "password": PASSWORD,
                                          "csrf_token": csrf.group(1)})
    assert signed.status_code == 303, signed.status_code
    if args.profile:
        _profile(client, args.profile, f"/board?week={week}", "/api/v1/sessions/{}/candidates",
                 session_ids, {"Authorization": f"Bearer {token}"})
        return 0
    board = _timed(client, f"/board?week={week}", args.requests)

    rng = random.Random(args.seed)
    headers = {"Authorization": f"Bearer {token}"}
    candidates: tuple[list[float], list[float]] = ([], [])
    _timed(client, f"/api/v1/sessions/{session_ids[0]}/candidates", 0, headers=headers)
    for session_id in rng.sample(session_ids, min(args.requests, len(session_ids))):
        times, cpu = _timed(client, f"/api/v1/sessions/{session_id}/candidates", 1, warm=0,
                            headers=headers)
        candidates[0].extend(times)
        candidates[1].extend(cpu)
    rows = [_row("board", board), _row("candidates", candidates)]
    print(format_table(COLUMNS, rows))
    print(machine_note())
    print(f"written to {write_csv('board', COLUMNS, rows)}")
    return 0 if all(r["met"] == "yes" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
