"""Runs change state exactly once, however many processes try at once:
claiming, cancelling, publishing a dry run, and the queued-runs limit.

30 rounds each (the limit: 10), on SQLite and PostgreSQL, threads with a
database session each.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from medsam_match.domain_errors import Conflict, LimitReached, NotFound
from medsam_match.extensions import db
from medsam_match.models import Assignment, MatchRun
from medsam_match.models.types import utcnow
from medsam_match.services import assignments
from medsam_match.services import runs as service

from .conftest import ADMIN, SOON, Plant, race

ROUNDS = 30


def _request(plant: Plant) -> service.RunRequest:
    return service.RunRequest(centre_id=plant.centre_id, window_from=SOON - timedelta(days=1),
                              window_to=SOON + timedelta(days=30), time_limit_s=5)


def _queue(app, plant: Plant) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return service.create_run(ADMIN, _request(plant), wake=False).id


def _end_all(app, centre_id: int) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        db.session.execute(update(MatchRun).where(
            MatchRun.centre_id == centre_id, MatchRun.status.in_(("queued", "running"))
        ).values(status="succeeded"))
        db.session.commit()


def _claim_next():  # type: ignore[no-untyped-def]
    run = service.claim_next_run()
    return None if run is None else run.id


def test_four_workers_claim_at_once_one_run_starts_once(app, plant: Plant):
    for _ in range(ROUNDS):
        run_id = _queue(app, plant)
        outcomes = race(app, [_claim_next] * 4)
        claimed = [o.value for o in outcomes if o.value is not None]
        assert claimed == [run_id]
        with app.app_context():
            assert db.session.get(MatchRun, run_id).status == "running"
        _end_all(app, plant.centre_id)


def test_two_runs_of_one_centre_and_two_workers_only_one_runs(app, plant: Plant):
    for _ in range(ROUNDS):
        first, second = _queue(app, plant), _queue(app, plant)
        outcomes = race(app, [_claim_next] * 2)
        assert sorted(o.value for o in outcomes if o.value is not None) == [first]
        with app.app_context():
            running = db.session.scalar(select(func.count()).where(
                MatchRun.centre_id == plant.centre_id, MatchRun.status == "running"))
            assert running == 1
            assert db.session.get(MatchRun, second).status == "queued"
        _end_all(app, plant.centre_id)


def test_cancel_and_claim_at_once_one_wins(app, plant: Plant):
    for _ in range(ROUNDS):
        run_id = _queue(app, plant)
        cancel, claim = race(app, [lambda r=run_id: service.cancel_run(ADMIN, r).status,
                                   _claim_next])
        with app.app_context():
            status = db.session.get(MatchRun, run_id).status
        if cancel.won:
            assert cancel.value == "cancelled" and status == "cancelled"
            assert claim.value is None
        else:
            assert claim.value == run_id and status == "running"
            assert isinstance(cancel.error, Conflict) and cancel.error.current == "running"
            assert cancel.error.detail == "the run is running; only a queued run can be cancelled"
        _end_all(app, plant.centre_id)


def test_two_plan_commands_for_one_run_one_runs_it(app, plant: Plant):
    for _ in range(ROUNDS):
        run_id = _queue(app, plant)
        outcomes = race(app, [lambda r=run_id: service.claim_run(r).id] * 2)
        assert [o.value for o in outcomes if o.won] == [run_id]
        lost = next(o for o in outcomes if not o.won)
        assert isinstance(lost.error, Conflict)
        _end_all(app, plant.centre_id)


def test_eight_requests_at_once_against_a_limit_of_three(app, plant: Plant):
    app.config["MEDSAM_MAX_QUEUED_RUNS_PER_CENTRE"] = 3
    for _ in range(10):
        outcomes = race(app, [lambda: service.create_run(ADMIN, _request(plant), wake=False).id]
                        * 8)
        assert len([o for o in outcomes if o.won]) == 3
        for refused in (o for o in outcomes if not o.won):
            assert isinstance(refused.error, LimitReached) and refused.error.limit == 3
            assert "max_queued_runs_per_centre = 3" in refused.error.detail
        with app.app_context():
            assert db.session.scalar(select(func.count()).where(
                MatchRun.centre_id == plant.centre_id, MatchRun.status == "queued")) == 3
        _end_all(app, plant.centre_id)


def _succeeded_dry_run(app, plant: Plant, volunteer_id: int, session_id: int) -> int:  # type: ignore[no-untyped-def]
    """A dry run that ended with a plan of one assignment, as if solved."""
    with app.app_context():
        started = utcnow()  # after any change to the window
        run = MatchRun(centre_id=plant.centre_id, window_from=SOON - timedelta(days=1),
                       window_to=SOON + timedelta(days=30), dry_run=True, status="succeeded",
                       started_at=started, finished_at=started, time_limit_s=5,
                       result={"format": "medsam-result/1", "status": "feasible", "schedule": [],
                               "assignments": [{"volunteer": str(volunteer_id),
                                                "session": str(session_id), "role": "helper"}]})
        db.session.add(run)
        db.session.commit()
        return run.id


def test_two_publishes_of_one_dry_run_at_once_publish_once(app, plant: Plant):
    for round_ in range(ROUNDS):
        session_id = plant.session_ids[round_ % len(plant.session_ids)]
        run_id = _succeeded_dry_run(app, plant, plant.volunteer_ids[0], session_id)
        outcomes = race(app, [lambda r=run_id: service.publish_dry_run(ADMIN, r).id] * 2)
        assert [o.value for o in outcomes if o.won] == [run_id]
        lost = next(o for o in outcomes if not o.won)
        assert isinstance(lost.error, Conflict)
        assert lost.error.detail == "the run's plan is already published"
        with app.app_context():
            made = db.session.scalar(select(func.count()).where(Assignment.match_run_id == run_id))
            assert made == 1
            db.session.execute(update(Assignment).values(status="cancelled"))
            db.session.commit()


def test_a_confirm_while_a_plan_is_published_is_never_lost(app, plant: Plant):
    """The plan leaves the proposed assignment out; the volunteer confirms it
    at that moment. Either the confirm comes first (the publish is refused:
    the window changed) or the publish does (the confirm finds nothing to
    confirm): never a 200 for a confirm whose assignment is then gone."""
    for round_ in range(ROUNDS):
        session_id = plant.session_ids[round_ % len(plant.session_ids)]
        (proposed,) = plant.proposed(1)
        run_id = _succeeded_dry_run(app, plant, plant.volunteer_ids[1], session_id)
        confirm, publish = race(app, [
            lambda a=proposed: assignments.answer(ADMIN, a, "confirm").status,
            lambda r=run_id: service.publish_dry_run(ADMIN, r).id,
        ])
        with app.app_context():
            row = db.session.get(Assignment, proposed)
            if confirm.won:
                assert row is not None and row.status == "confirmed"
            else:
                assert publish.won and row is None
                assert isinstance(confirm.error, NotFound)
            db.session.execute(update(Assignment).values(status="cancelled"))
            db.session.commit()
