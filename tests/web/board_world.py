"""A volunteer centre's week as a coordinator sees it: the week of 17 May
2027 in Arendal (Monday is a public holiday: Constitution Day and Whit
Monday), with activities, volunteers in every state, an unfilled slot with
the last run's reason, and an open role to fill by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask

from medsam_match.extensions import db
from tests.conftest import World

OSLO = ZoneInfo("Europe/Oslo")
MONDAY = date(2027, 5, 17)
EVENINGS = [{"weekday": d, "start": "09:00", "end": "22:00"} for d in range(7)]


@dataclass
class BoardWorld:
    world: World
    cafe_session_id: int  # Tuesday: Arabic host missing (the run's reason)
    homework_session_id: int  # Wednesday: helpers, one seat open
    candidate_id: int  # fits the homework help
    candidate_name: str


def _at(day: int, hour: int, minutes: int = 0) -> datetime:
    return datetime.combine(MONDAY + timedelta(days=day), time(hour, minutes), tzinfo=OSLO)


def build_board_world(app: Flask, world: World) -> BoardWorld:
    from medsam_match.models import Activity, Assignment, MatchRun, Session, Volunteer

    with app.app_context():
        place = world.no.place_ids[0]
        activities = {
            "cafe": Activity(centre_id=world.no.centre_id, title="Språkkafé", interests=["språk"],
                             roles=[{"role": "vert", "min": 1, "max": 1, "languages": ["ar"]},
                                    {"role": "hjelper", "min": 1, "max": 2}]),
            "homework": Activity(centre_id=world.no.centre_id, title="Leksehjelp",
                                 interests=["skole"],
                                 roles=[{"role": "hjelper", "min": 2, "max": 3}]),
            "walk": Activity(centre_id=world.no.centre_id, title="Turgruppe",
                             roles=[{"role": "turleder", "min": 1, "max": 1}]),
            "knit": Activity(centre_id=world.no.centre_id, title="Strikkekafé",
                             roles=[{"role": "vert", "min": 1, "max": 2}]),
            "dinner": Activity(centre_id=world.no.centre_id, title="Middag for eldre",
                               roles=[{"role": "kokk", "min": 2, "max": 2},
                                      {"role": "sjåfør", "min": 1, "max": 1}]),
        }
        db.session.add_all(activities.values())
        db.session.flush()
        names = ["Kari Nordmann", "Ola Hansen", "Ingrid Berg", "Lars Johansen", "Aisha Noor",
                 "Per Olsen", "Marit Lie", "Jonas Bakke", "Sofie Dahl", "Emil Strand",
                 "Nora Vik", "Omar Said"]
        people = {}
        for name in names:
            row = Volunteer(centre_id=world.no.centre_id, name=name,
                            weekly_availability=EVENINGS, interests=["skole"]
                            if name == "Nora Vik" else [])
            db.session.add(row)
            people[name] = row
        db.session.flush()

        def session(activity: str, day: int, hour: int, hours: float = 2) -> int:
            start = _at(day, hour)
            end = start + timedelta(hours=hours)
            row = Session(activity_id=activities[activity].id, place_id=place, start=start,
                          end=end, window_start=start, window_end=end)
            db.session.add(row)
            db.session.flush()
            return row.id

        def put(name: str, session_id: int, role: str, status: str = "confirmed",
                locked: bool = False) -> None:
            db.session.add(Assignment(volunteer_id=people[name].id, session_id=session_id,
                                      role=role, status=status, locked=locked))

        cafe = session("cafe", 1, 17)
        put("Ingrid Berg", cafe, "hjelper")
        homework = session("homework", 2, 16, 1.5)
        put("Lars Johansen", homework, "hjelper")
        put("Marit Lie", homework, "hjelper", "proposed")
        walk = session("walk", 2, 11)
        put("Per Olsen", walk, "turleder", "declined")
        knit = session("knit", 3, 12)
        put("Kari Nordmann", knit, "vert", locked=True)
        dinner = session("dinner", 3, 16, 3)
        put("Ola Hansen", dinner, "kokk")
        put("Jonas Bakke", dinner, "kokk", "proposed")
        put("Sofie Dahl", dinner, "sjåfør")
        cafe2 = session("cafe", 4, 17)
        put("Aisha Noor", cafe2, "vert")
        put("Omar Said", cafe2, "hjelper", "proposed")
        walk2 = session("walk", 5, 11)
        put("Per Olsen", walk2, "turleder")
        window_from = datetime.combine(MONDAY, time(0), tzinfo=OSLO).astimezone(UTC)
        db.session.add(MatchRun(
            centre_id=world.no.centre_id, window_from=window_from,
            window_to=window_from + timedelta(days=14), status="succeeded",
            finished_at=window_from - timedelta(days=3),
            unfilled=[
                {"session": str(cafe), "role": "vert", "reason": "Nobody speaks ar.",
                 "why": {"code": "nobody", "params": {"rule": "languages",
                                                       "languages": ["ar"]}}},
                {"session": str(walk), "role": "turleder", "reason": "",
                 "why": {"code": "nobody", "params": {"rule": "availability"}}},
            ]))
        db.session.commit()
        return BoardWorld(world, cafe, homework, people["Nora Vik"].id, "Nora Vik")
