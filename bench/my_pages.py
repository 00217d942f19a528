"""The volunteer's own pages for an M-sized centre (1,000 volunteers, 600
sessions a week): server time per request of /my/, /my/open-slots,
/my/profile (GET) and saving the profile (POST, which checks the
volunteer's coming seats with the planner's rules), and offering a
confirmed seat as a swap (POST, which finds who may take it over with the
planner's rules for the whole centre and writes their messages; each
offer is withdrawn again before the next).

The centre is issue 3's M scenario written into the database
(bench.planning_centre) with the minimum of every role filled at random
(bench.board), moved to start next Monday so that its week lies within the
open slots' four weeks. The volunteer is one with the most proposed and
confirmed seats; the requests go through the app in this process (the
Flask test client, signed in with the volunteer's code), so the times are
the server's. Wall and CPU milliseconds per request.

    python -m bench.my_pages [--requests 5] [--seed 0] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import tempfile
from datetime import date, datetime, timedelta
from typing import Any

from .report import format_table, machine_note, timed, timing_row, write_csv

COLUMNS = ("request", "requests", "p50 ms", "p95 ms", "max ms", "p95 cpu ms")


def _shift_to_next_monday(centre_id: int) -> None:
    """Move the centre's sessions by whole weeks so the first week starts next Monday."""
    from sqlalchemy import select

    from medsam_match.extensions import db
    from medsam_match.models import Activity, Session

    from .generate import FIRST_MONDAY

    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())
    shift = timedelta(weeks=(FIRST_MONDAY - monday).days // 7)
    for session in db.session.scalars(select(Session).join(Activity)
                                      .where(Activity.centre_id == centre_id)):
        for name in ("start", "end", "window_start", "window_end"):
            if getattr(session, name) is not None:
                setattr(session, name, getattr(session, name) - shift)
        if session.options:
            session.options = [
                {**o, "start": (datetime.fromisoformat(o["start"]) - shift).isoformat(),
                 "end": (datetime.fromisoformat(o["end"]) - shift).isoformat()}
                for o in session.options]
    db.session.commit()


def _busiest_volunteer(centre_id: int) -> int:
    from sqlalchemy import func, select

    from medsam_match.extensions import db
    from medsam_match.models import Assignment, Volunteer

    return int(db.session.execute(
        select(Assignment.volunteer_id, func.count())
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .where(Volunteer.centre_id == centre_id,
               Assignment.status.in_(("proposed", "confirmed")))
        .group_by(Assignment.volunteer_id).order_by(func.count().desc())
    ).first()[0])


def _confirmed_seat(volunteer_id: int) -> int:
    """One of the volunteer's seats, confirmed, in the open slots' weeks, with
    every volunteer of the centre reachable by e-mail (so the offer's
    messages are written as they would be)."""
    from sqlalchemy import select, update

    from medsam_match.extensions import db
    from medsam_match.models import Activity, Assignment, Session, Volunteer

    seat = db.session.scalars(
        select(Assignment).join(Session, Assignment.session_id == Session.id)
        .where(Assignment.volunteer_id == volunteer_id,
               Assignment.status.in_(("proposed", "confirmed")),
               Session.start > datetime.now().astimezone())
        .order_by(Session.start, Assignment.id)).first()
    assert seat is not None
    seat.status = "confirmed"
    db.session.execute(update(Activity).where(Activity.id == seat.session.activity_id)
                       .values(self_signup=True))
    centre_id = seat.session.activity.centre_id
    db.session.execute(update(Volunteer).where(Volunteer.centre_id == centre_id,
                                               Volunteer.email.is_(None))
                       .values(email="v" + Volunteer.id.cast(db.String) + "@example.test"))
    db.session.commit()
    return int(seat.id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    os.environ.setdefault("MEDSAM_SECRET_KEY", secrets.token_urlsafe(48))
    folder = tempfile.mkdtemp(prefix="medsam-bench-my-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"

    from medsam_match import create_app
    from medsam_match.auth import create_token
    from medsam_match.extensions import db

    from .board import _assignments
    from .planning_centre import build_m_centre

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "MEDSAM_SCHEDULER": "off",
                      "MEDSAM_RATE_LIMIT_PER_MINUTE": 0, "SESSION_COOKIE_SECURE": False},
                     check_schema=False)
    with app.app_context():
        db.create_all()
        built = build_m_centre(args.seed)
        made = _assignments(built.centre_id, args.seed)
        _shift_to_next_monday(built.centre_id)
        volunteer_id = _busiest_volunteer(built.centre_id)
        token = create_token("volunteer", volunteer_id=volunteer_id, label="bench")
    print(f"M centre: {built.volunteers} volunteers, {built.sessions} sessions, "
          f"{made} assignments; volunteer {volunteer_id}; {url.split(':')[0]}")

    from medsam_match.served import freeze_startup_objects

    freeze_startup_objects()
    client = app.test_client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"',
                     client.get("/my/").get_data(as_text=True))
    assert csrf
    assert client.post("/my/sign-in", data={"token": token, "csrf_token": csrf.group(1)}
                       ).status_code == 303

    def get(path: str) -> Any:
        def call() -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return call

    form_page = client.get("/my/profile").get_data(as_text=True)
    form = dict(re.findall(r'<input type="(?:text|email|tel|date|hidden)"[^>]*'
                           r'name="([^"]+)" value="([^"]*)"', form_page))
    form.update({name: value for name, value in re.findall(
        r'<select id="[^"]+" name="(win-\d+-day)">.*?<option value="(\d)" selected', form_page,
        re.S)})
    form["notify_channel"] = "email"
    flip = iter(range(10**6))

    def save() -> None:
        # A change that touches planning (so the seats are checked): the weekly hours limit.
        fresh = client.get("/my/profile").get_data(as_text=True)
        version = re.search(r'name="version" value="(\d+)"', fresh)
        csrf_now = re.search(r'name="csrf_token" value="([^"]+)"', fresh)
        assert version and csrf_now
        body = {**form, "version": version.group(1), "csrf_token": csrf_now.group(1),
                "max_hours_per_week": str(40 + next(flip) % 2)}
        response = client.post("/my/profile", data=body)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]

    with app.app_context():
        seat_id = _confirmed_seat(volunteer_id)
    told: list[int] = []

    def offer() -> None:
        from medsam_match.models import OutboxMessage

        page = client.get("/my/").get_data(as_text=True)
        csrf_now = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert csrf_now
        response = client.post(f"/my/assignments/{seat_id}/offer",
                               data={"csrf_token": csrf_now.group(1)})
        assert response.status_code == 303
        with app.app_context():
            told.append(db.session.query(OutboxMessage).filter_by(kind="swap_offered").count())
            db.session.query(OutboxMessage).delete()
            db.session.execute(db.text(
                "UPDATE assignment SET swap_offered_at = NULL WHERE id = :id"), {"id": seat_id})
            db.session.commit()

    rows = [timing_row("/my/", timed(get("/my/"), args.requests)),
            timing_row("/my/profile", timed(get("/my/profile"), args.requests)),
            timing_row("save profile (+GET)", timed(save, args.requests)),
            timing_row("/my/hours", timed(get("/my/hours"), args.requests)),
            timing_row("/my/open-slots", timed(get("/my/open-slots"), args.requests)),
            timing_row("offer a seat (+GET /my/)", timed(offer, args.requests))]
    print(format_table(COLUMNS, rows))
    print(f"messages written per offer (at most swaps.SWAP_MESSAGE_LIMIT): {sorted(set(told))}")
    print(machine_note())
    print(f"written to {write_csv('my_pages', COLUMNS, rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
