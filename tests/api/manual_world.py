"""A centre with an activity that needs an Arabic speaker, one session, and
volunteers each of whom breaks exactly one rule (or none)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask

from medsam_match.extensions import db
from tests.conftest import World

OSLO = ZoneInfo("Europe/Oslo")
ALL_WEEK = [{"weekday": d, "start": "08:00", "end": "22:00"} for d in range(7)]


@dataclass
class ManualWorld:
    world: World
    session_id: int  # language café, Arabic host needed, in 3 days 17-19
    other_session_id: int  # same time, another activity
    activity_id: int
    amira: int  # speaks Arabic, available: fits
    yusuf: int  # speaks Arabic, available, likes the activity: fits best
    ola: int  # no Arabic
    sara: int  # Arabic, not available on weekday evenings
    farid: int  # Arabic, lives 80 km away, travels at most 10 km
    hassan: int  # Arabic, already in the other session at the same time
    other_centre_volunteer: int  # Aarhus


def session_day() -> date:
    return datetime.now(OSLO).date() + timedelta(days=3)


def build_manual_world(app: Flask, world: World) -> ManualWorld:
    from medsam_match.models import Activity, Assignment, Session, Volunteer

    with app.app_context():
        start = datetime.combine(session_day(), time(17, 0), tzinfo=OSLO)
        end = start + timedelta(hours=2)
        cafe = Activity(centre_id=world.no.centre_id, title="Språkkafé på arabisk",
                        interests=["language"],
                        roles=[{"role": "host", "min": 1, "max": 2, "languages": ["ar"]}])
        walk = Activity(centre_id=world.no.centre_id, title="Turgruppe",
                        roles=[{"role": "guide", "min": 1, "max": 1}])
        db.session.add_all([cafe, walk])
        db.session.flush()
        place = world.no.place_ids[0]
        session = Session(activity_id=cafe.id, place_id=place, start=start, end=end,
                          window_start=start, window_end=end)
        other = Session(activity_id=walk.id, place_id=place, start=start, end=end,
                        window_start=start, window_end=end)
        db.session.add_all([session, other])
        day = session_day().weekday()
        evenings_off = [w for w in ALL_WEEK if w["weekday"] != day]

        def volunteer(name: str, **fields):  # type: ignore[no-untyped-def]
            fields.setdefault("weekly_availability", ALL_WEEK)
            fields.setdefault("languages", ["ar"])
            row = Volunteer(centre_id=fields.pop("centre_id", world.no.centre_id), name=name,
                            **fields)
            db.session.add(row)
            return row

        rows = [
            volunteer("Amira Haddad"),
            volunteer("Yusuf Karim", interests=["language"]),
            volunteer("Ola Nordmann", languages=["no"]),
            volunteer("Sara Ali", weekly_availability=evenings_off),
            volunteer("Farid Omar", lat=59.91, lon=10.75, max_travel_km=10),
            volunteer("Hassan Aziz"),
            volunteer("Mette Jensen", centre_id=world.dk.centre_id),
        ]
        db.session.flush()
        db.session.add(Assignment(volunteer_id=rows[5].id, session_id=other.id, role="guide",
                                  status="confirmed"))
        db.session.commit()
        return ManualWorld(world, session.id, other.id, cafe.id, *[r.id for r in rows])
