"""A small history whose figures are worked out by hand in the tests.

Arendal (population 20,000), centre A, two activities:
  LC  language café, roles [host min 5 max 6] -> 5 slots needed per session
  TG  walking group, roles [guide min 1 max 2] -> 1 slot needed per session

Sessions (UTC, all long past):
  S5 2024-12-10 10-12 LC  V1 V2 V3 V4 V6 attended
  S1 2025-01-15 10-12 LC  V1 V2 V3 V4 attended, V5 no-show
  S2 2025-02-15 10-12 LC  cancelled; V6 confirmed (counts nowhere)
  S3 2025-04-10 10-13 LC  12 participants; V1 V2 V3 V6 attended, V7 confirmed
                          (attendance not recorded), V4 declined
  S4 2025-04-20 10-12 TG  8 participants; V1 V8 attended
  S7 2025-05-05 10-12 LC  V1 V2 V3 V6 attended
  S8 2025-06-10 10-12 LC  5 participants; V3 V4 V5 V6 V7 no-show
Self-logged hours: V1..V5 1.5 h each approved on 2025-03-01; V2 4 h pending.
Aarhus has a session of its own with one volunteer (never counted for Arendal).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from medsam_match.extensions import db


def at(day: str, hour: int) -> datetime:
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, hour, tzinfo=UTC)


def build_history(app: Any, world: Any) -> dict[str, Any]:
    from medsam_match.models import Activity, Assignment, Municipality, Session, Volunteer
    from medsam_match.models.selfservice import HoursEntry

    with app.app_context():
        arendal = db.session.get(Municipality, world.no.municipality_id)
        arendal.population = 20000
        centre = world.no.centre_id
        lc = Activity(centre_id=centre, title="Språkkafé",
                      roles=[{"role": "host", "min": 5, "max": 6}])
        tg = Activity(centre_id=centre, title="Turgruppe",
                      roles=[{"role": "guide", "min": 1, "max": 2}])
        dk_activity = Activity(centre_id=world.dk.centre_id, title="Sprogcafé",
                               roles=[{"role": "host", "min": 1, "max": 1}])
        db.session.add_all([lc, tg, dk_activity])
        db.session.flush()
        v = {i: Volunteer(centre_id=centre, name=f"V{i}") for i in range(1, 9)}
        w1 = Volunteer(centre_id=world.dk.centre_id, name="W1")
        db.session.add_all([*v.values(), w1])
        db.session.flush()

        def session(activity: Any, day: str, start: int, end: int, status: str = "scheduled",
                    participants: int | None = None) -> Any:
            row = Session(activity_id=activity.id, start=at(day, start), end=at(day, end),
                          window_start=at(day, start), window_end=at(day, end), status=status,
                          participants=participants,
                          place_id=None)
            db.session.add(row)
            db.session.flush()
            return row

        def seat(s: Any, volunteer: Any, attendance: str | None, status: str = "confirmed",
                 role: str = "host") -> None:
            db.session.add(Assignment(session_id=s.id, volunteer_id=volunteer.id, role=role,
                                      status=status, attendance=attendance))

        s5 = session(lc, "2024-12-10", 10, 12)
        for i in (1, 2, 3, 4, 6):
            seat(s5, v[i], "attended")
        s1 = session(lc, "2025-01-15", 10, 12)
        for i in (1, 2, 3, 4):
            seat(s1, v[i], "attended")
        seat(s1, v[5], "no_show")
        s2 = session(lc, "2025-02-15", 10, 12, status="cancelled")
        seat(s2, v[6], None)
        s3 = session(lc, "2025-04-10", 10, 13, participants=12)
        for i in (1, 2, 3, 6):
            seat(s3, v[i], "attended")
        seat(s3, v[7], None)
        seat(s3, v[4], None, status="declined")
        s4 = session(tg, "2025-04-20", 10, 12, participants=8)
        seat(s4, v[1], "attended", role="guide")
        seat(s4, v[8], "attended", role="guide")
        s7 = session(lc, "2025-05-05", 10, 12)
        for i in (1, 2, 3, 6):
            seat(s7, v[i], "attended")
        s8 = session(lc, "2025-06-10", 10, 12, participants=5)
        for i in (3, 4, 5, 6, 7):
            seat(s8, v[i], "no_show")
        for i in range(1, 6):
            db.session.add(HoursEntry(volunteer_id=v[i].id, day=date(2025, 3, 1), hours=1.5,
                                      status="approved"))
        db.session.add(HoursEntry(volunteer_id=v[2].id, day=date(2025, 3, 2), hours=4.0,
                                  status="pending"))
        dk_session = session(dk_activity, "2025-01-20", 10, 12, participants=30)
        seat(dk_session, w1, "attended")
        db.session.commit()
        return {"lc": lc.id, "tg": tg.id, "centre": centre}
