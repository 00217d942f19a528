"""What `make run` does before it serves: each centre planned once as
tonight's nightly plan (so the scheduler has nothing to catch up and a
newcomer's first plan runs at once), and the demo coordinator given a fresh
password at each start."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select

from medsam_match.cli.demo_command import DEMO_COORDINATOR_EMAIL, plan_each_centre
from medsam_match.cli.serve_command import _demo_password
from medsam_match.extensions import db
from medsam_match.jobs.nightly import NightlySettings, last_due, nightly_tick
from medsam_match.models import Activity, Assignment, Centre, MatchRun, Session, Volunteer
from medsam_match.services.users import authenticate, create_user
from tests.conftest import World
from tests.web.staff import Workspace

OSLO = ZoneInfo("Europe/Oslo")


def _session_in_two_days(world: World) -> int:
    day = datetime.now(OSLO).date() + timedelta(days=2)
    start = datetime.combine(day, time(17), tzinfo=OSLO)
    activity = Activity(centre_id=world.no.centre_id, title="Strikkekafé",
                        roles=[{"role": "host", "min": 1, "max": 1}])
    db.session.add(activity)
    db.session.flush()
    session = Session(activity_id=activity.id, place_id=world.no.place_ids[0], start=start,
                      end=start + timedelta(hours=2), window_start=start,
                      window_end=start + timedelta(hours=2))
    db.session.add_all([session, Volunteer(
        centre_id=world.no.centre_id, name="Randi Lund",
        weekly_availability=[{"weekday": d, "start": "08:00", "end": "22:00"}
                             for d in range(7)])])
    db.session.commit()
    return session.id


def test_each_centre_is_planned_once_as_tonight_s_plan_and_nothing_is_left_to_catch_up(
        app: Flask, world: World, capsys) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        session_id = _session_in_two_days(world)
        plan_each_centre(5)
        out = capsys.readouterr().out
        runs = db.session.scalars(select(MatchRun).order_by(MatchRun.id)).all()
        centres = db.session.scalars(select(Centre.id).order_by(Centre.id)).all()
        assert sorted(r.centre_id for r in runs) == centres  # one each
        now = datetime.now(UTC)
        settings = NightlySettings.from_config(app.config)
        for run in runs:
            zone = ZoneInfo(run.centre.municipality.timezone)
            assert (run.trigger, run.status) == ("nightly", "succeeded")
            assert run.night == last_due(now, zone, settings.at)[0]
        # The plan is published: the session has its host.
        held = db.session.scalars(select(Assignment).where(Assignment.session_id == session_id))
        assert [(a.status, a.volunteer.name) for a in held] == [("proposed", "Randi Lund")]
        assert "Arendal frivilligsentral: 1 of 1 places filled" in out

        # The scheduler's start-up tick finds every centre's night planned,
        # even within the grace period after the nightly time.
        assert nightly_tick(now, settings) == []
        assert db.session.query(MatchRun).count() == len(runs)

        plan_each_centre(5)  # a second time: the night is planned already
        assert "already planned tonight" in capsys.readouterr().out
        assert db.session.query(MatchRun).count() == len(runs)


def test_each_start_gives_the_demo_coordinator_a_fresh_password(
        app: Flask, client, world: World) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        assert _demo_password() is None  # no demo loaded: nothing printed
        create_user(email=DEMO_COORDINATOR_EMAIL, name="Kari Koordinator", role="coordinator",
                    centre_id=world.no.centre_id)
        email, first, centre = _demo_password()  # type: ignore[misc]
        assert (email, centre) == (DEMO_COORDINATOR_EMAIL, "Arendal frivilligsentral")
        email, second, _ = _demo_password()  # type: ignore[misc]
        assert first != second
        assert authenticate(email, first) is None  # the last start's password stops working
        assert authenticate(email, second) is not None
    signed = Workspace(client).sign_in(DEMO_COORDINATOR_EMAIL, second)
    assert signed.status_code == 303 and signed.headers["Location"].endswith("/board")
