"""A session that is over (two days ago, 17-19 Oslo time) with two confirmed
seats, one proposed and one declined, on top of tests/api/manual_world.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import Flask

from medsam_match.extensions import db
from medsam_match.models import Assignment, Session
from tests.api.manual_world import OSLO, ManualWorld


@dataclass
class PastSession:
    session_id: int
    amira_seat: int  # confirmed
    yusuf_seat: int  # confirmed
    ola_seat: int  # proposed (never confirmed)
    sara_seat: int  # declined


def add_past_session(app: Flask, mw: ManualWorld, days_ago: int = 2) -> PastSession:
    with app.app_context():
        day = datetime.now(OSLO).date() - timedelta(days=days_ago)
        start = datetime.combine(day, time(17, 0), tzinfo=OSLO)
        end = start + timedelta(hours=2)
        session = Session(activity_id=mw.activity_id, place_id=mw.world.no.place_ids[0],
                          start=start, end=end, window_start=start, window_end=end)
        db.session.add(session)
        db.session.flush()
        seats = [Assignment(volunteer_id=v, session_id=session.id, role="host", status=s)
                 for v, s in ((mw.amira, "confirmed"), (mw.yusuf, "confirmed"),
                              (mw.ola, "proposed"), (mw.sara, "declined"))]
        db.session.add_all(seats)
        db.session.commit()
        return PastSession(session.id, *[s.id for s in seats])
