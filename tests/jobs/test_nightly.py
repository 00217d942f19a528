"""Nightly planning: once per centre per night, however many schedulers run."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from medsam_match import create_app
from medsam_match.extensions import db
from medsam_match.jobs.nightly import NightlySettings, last_due, nightly_tick
from medsam_match.models import Centre, MatchRun
from tests.conftest import TEST_CONFIG

SETTINGS = NightlySettings()  # 02:00 local, 14 days, 6 h grace


def _runs(app):
    with app.app_context():
        return [(r.centre_id, r.night, r.status, r.trigger, r.window_from, r.window_to)
                for r in db.session.query(MatchRun).order_by(MatchRun.centre_id, MatchRun.night)]


def test_each_active_centre_gets_one_run_per_night(app, world):
    # 02:30 in Oslo and Copenhagen (UTC+1 in winter).
    now = datetime(2026, 12, 8, 1, 30, tzinfo=UTC)
    with app.app_context():
        inactive = Centre(municipality_id=world.no.municipality_id, name="Closed centre", active=False)
        db.session.add(inactive)
        db.session.commit()
        first = nightly_tick(now, SETTINGS)
        again = nightly_tick(now + timedelta(minutes=1), SETTINGS)
    runs = _runs(app)
    active = {*world.no.centre_ids, *world.dk.centre_ids}
    assert len(first) == len(active) and again == []
    assert {r[0] for r in runs} == active
    for _, night, status, trigger, window_from, window_to in runs:
        assert night.isoformat() == "2026-12-08" and status == "queued" and trigger == "nightly"
        assert window_from == datetime(2026, 12, 8, 1, 0, tzinfo=UTC)  # 02:00 local
        assert window_to - window_from == timedelta(days=14)


def test_nothing_before_the_nightly_time_on_a_fresh_installation(app, world):
    # 01:30 local: last night's 02:00 is more than the grace period ago, and
    # these centres were never planned nightly: nothing was missed, nothing runs.
    with app.app_context():
        assert nightly_tick(datetime(2026, 12, 8, 0, 30, tzinfo=UTC), SETTINGS) == []
    assert _runs(app) == []


def test_a_night_missed_within_the_grace_period_is_caught_up(app, world):
    # The service was down at 02:00 and starts at 07:30 local.
    with app.app_context():
        created = nightly_tick(datetime(2026, 12, 8, 6, 30, tzinfo=UTC), SETTINGS)
    assert len(created) == 3


def test_a_night_missed_beyond_the_grace_period_is_reported(app, world):
    with app.app_context():
        nightly_tick(datetime(2026, 12, 7, 1, 5, tzinfo=UTC), SETTINGS)  # 7 Dec ran
        created = nightly_tick(datetime(2026, 12, 8, 11, 0, tzinfo=UTC), SETTINGS)  # 8 Dec missed
    assert created == []
    missed = [r for r in _runs(app) if r[1].isoformat() == "2026-12-08"]
    assert len(missed) == 3 and {r[2] for r in missed} == {"failed"}
    with app.app_context():
        error = db.session.query(MatchRun).filter_by(status="failed").first().error
    assert "was missed" in error and "02:00" in error


def test_the_spring_forward_night_runs_once():
    from zoneinfo import ZoneInfo

    oslo = ZoneInfo("Europe/Oslo")
    # 2027-03-28 02:00 does not exist in Oslo; the night still has one due moment.
    night, moment = last_due(datetime(2027, 3, 28, 3, 0, tzinfo=UTC), oslo, SETTINGS.at)
    assert night.isoformat() == "2027-03-28"
    assert moment <= datetime(2027, 3, 28, 3, 0, tzinfo=UTC)
    before, _ = last_due(datetime(2027, 3, 28, 0, 30, tzinfo=UTC), oslo, SETTINGS.at)
    assert before.isoformat() == "2027-03-27"


def test_two_schedulers_firing_the_same_night_make_one_run_per_centre(app, world):
    """Two service processes (separate apps, engines and connections) tick at
    the same instant; the database's unique key decides."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    now = datetime(2026, 12, 8, 1, 0, 30, tzinfo=UTC)
    apps = [create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url}) for _ in range(2)]
    barrier = threading.Barrier(len(apps))
    created: list[list[int]] = []
    errors: list[BaseException] = []

    def tick(other) -> None:
        try:
            with other.app_context():
                barrier.wait(timeout=10)
                created.append(nightly_tick(now, SETTINGS))
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=tick, args=(a,)) for a in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for other in apps:
        with other.app_context():
            db.engine.dispose()
    assert errors == []
    runs = _runs(app)
    centres = [r[0] for r in runs]
    assert sorted(centres) == sorted({*world.no.centre_ids, *world.dk.centre_ids})
    assert sum(len(c) for c in created) == len(centres)


def test_the_scheduler_started_after_the_nightly_time_plans_tonight_at_once(app, world):
    import time as clock
    from zoneinfo import ZoneInfo

    from medsam_match.jobs.nightly import start_scheduler

    a_while_ago = datetime.now(ZoneInfo("Europe/Oslo")) - timedelta(minutes=3)
    app.config["MEDSAM_NIGHTLY_TIME"] = a_while_ago.strftime("%H:%M")
    scheduler = start_scheduler(app)
    try:
        deadline = clock.monotonic() + 30
        while clock.monotonic() < deadline and len(_runs(app)) < 3:
            clock.sleep(0.2)
    finally:
        scheduler.shutdown(wait=True)
    runs = _runs(app)
    assert sorted(r[0] for r in runs) == sorted({*world.no.centre_ids, *world.dk.centre_ids})
    assert {(r[2], r[3]) for r in runs} == {("queued", "nightly")}


def test_a_failing_scheduler_job_is_logged_its_writes_undone_and_the_next_runs(app, world,
                                                                              caplog):
    from medsam_match.jobs.nightly import guarded

    def broken() -> None:
        db.session.add(Centre(municipality_id=world.no.municipality_id, name="Half-made"))
        db.session.flush()
        raise RuntimeError("the database went away")

    guarded(app, "broken job", broken)()  # the scheduler's thread goes on
    assert "broken job failed" in caplog.text and "the database went away" in caplog.text
    made: list[int] = []
    guarded(app, "nightly tick", lambda: made.extend(
        nightly_tick(datetime(2026, 12, 8, 1, 30, tzinfo=UTC), SETTINGS)))()
    assert len(made) == 3
    with app.app_context():
        assert db.session.query(Centre).filter_by(name="Half-made").count() == 0
