"""The queue is fair: one centre's many runs do not hold up another's, and a
centre cannot queue more than the configured number of runs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from medsam_match.domain_errors import LimitReached
from medsam_match.extensions import db
from medsam_match.models import MatchRun, Session
from medsam_match.models.types import utcnow
from medsam_match.services import runs as service
from medsam_match.services.locking import transition

from .conftest import ADMIN, SOON, Plant


def _request(centre_id: int) -> service.RunRequest:
    return service.RunRequest(centre_id=centre_id, window_from=SOON - timedelta(days=1),
                              window_to=SOON + timedelta(days=30), time_limit_s=5)


def _drain(limit: int = 100) -> list[int]:
    """One worker: claim, finish, claim again; the centres in the order served."""
    order = []
    later = utcnow() + timedelta(minutes=5)  # past the repair's debounce
    for _ in range(limit):
        run = service.claim_next_run(later)
        if run is None:
            break
        order.append(run.centre_id)
        assert transition(MatchRun, run.id, ("running",), status="succeeded")
        db.session.commit()
    return order


def test_twenty_runs_of_one_centre_delay_another_centres_runs_by_one_run(app, plant: Plant):
    app.config["MEDSAM_MAX_QUEUED_RUNS_PER_CENTRE"] = 50
    busy, other, third = plant.centre_id, plant.world.dk.centre_id, plant.world.no.centre_ids[1]
    with app.app_context():
        for _ in range(20):
            service.create_run(ADMIN, _request(busy), wake=False)
        # Then, later, one run each for two other centres: asked for, and nightly.
        service.create_run(ADMIN, _request(other), wake=False)
        service.queue_nightly_run(third, date(2029, 12, 31), SOON, SOON + timedelta(days=14), 5)
        # And a decline's repair for the busy centre waits its turn like the rest.
        service.queue_repair(busy, db.session.get(Session, plant.session_ids[0]))
        db.session.commit()
        order = _drain()
    # Oldest first (before) served them 21st and 22nd.
    assert order.index(other) <= 1 and order.index(third) <= 2, order
    assert order.count(busy) == 21 and len(order) == 23  # the twenty and the repair


def test_a_centre_that_was_served_waits_behind_one_that_was_not(app, plant: Plant):
    app.config["MEDSAM_MAX_QUEUED_RUNS_PER_CENTRE"] = 50
    busy, other = plant.centre_id, plant.world.dk.centre_id
    with app.app_context():
        for _ in range(3):
            service.create_run(ADMIN, _request(busy), wake=False)
        assert _drain(1) == [busy]
        for _ in range(3):
            service.create_run(ADMIN, _request(other), wake=False)
        # Round-robin from here: each centre in turn.
        assert _drain() == [other, busy, other, busy, other]


def test_the_fourth_queued_run_is_refused_naming_the_limit(app, plant: Plant):
    with app.app_context():
        assert service.max_queued_per_centre() == 3
        for _ in range(3):
            service.create_run(ADMIN, _request(plant.centre_id), wake=False)
        with pytest.raises(LimitReached) as refused:
            service.create_run(ADMIN, _request(plant.centre_id), wake=False)
        assert refused.value.limit == 3
        assert refused.value.detail == (
            "the centre already has 3 queued runs, the most allowed "
            "(max_queued_runs_per_centre = 3); wait for one to finish or cancel one"
        )
        # Nightly and repair runs are not refused by it.
        assert service.queue_nightly_run(plant.centre_id, date(2029, 12, 31), SOON,
                                         SOON + timedelta(days=14), 5) is not None
        service.queue_repair(plant.centre_id, db.session.get(Session, plant.session_ids[0]))
        db.session.commit()
        # Another centre has its own three.
        service.create_run(ADMIN, _request(plant.world.dk.centre_id), wake=False)
        # Once one has started (or is cancelled), there is room again.
        first = service.claim_next_run(utcnow() + timedelta(minutes=5))
        assert first is not None and first.centre_id in (plant.centre_id,
                                                         plant.world.dk.centre_id)
        queued = db.session.query(MatchRun).filter_by(centre_id=plant.centre_id, status="queued",
                                                       trigger="api").first()
        service.cancel_run(ADMIN, queued.id)
        assert service.create_run(ADMIN, _request(plant.centre_id), wake=False).status == "queued"
