"""services.runs without HTTP: asking, scope, and ends that never overwrite."""

from __future__ import annotations

from datetime import timedelta

import pytest

from medsam_match.auth import Principal
from medsam_match.domain_errors import Invalid, NotFound
from medsam_match.extensions import db
from medsam_match.models import MatchRun
from medsam_match.models.types import utcnow
from medsam_match.services import runs as service
from medsam_match.services.runs.execute import fail

from .conftest import ADMIN, SOON, Plant


def _request(centre_id: int, **changes) -> service.RunRequest:  # type: ignore[no-untyped-def]
    fields = {"centre_id": centre_id, "window_from": SOON, "window_to": SOON + timedelta(days=14),
              "time_limit_s": 5.0, **changes}
    return service.RunRequest(**fields)


def test_a_bad_request_names_every_wrong_field_and_stores_nothing(app, plant: Plant):
    with app.app_context():
        with pytest.raises(Invalid) as wrong:
            service.create_run(ADMIN, _request(plant.centre_id, window_to=SOON, mode="fix",
                                               time_limit_s=0.5))
        assert wrong.value.errors == {
            "to": ["must be after from"],
            "mode": ["must be plan or repair"],
            "time_limit_s": ["must be between 1 and 600 seconds"],
        }
        with pytest.raises(Invalid) as long:
            service.create_run(ADMIN, _request(plant.centre_id,
                                               window_to=SOON + timedelta(days=91)))
        assert long.value.errors == {"to": ["the window may be at most 90 days long"]}
        assert db.session.query(MatchRun).count() == 0


def test_runs_are_seen_and_asked_for_only_within_scope(app, plant: Plant):
    own = Principal(role="coordinator", centre_id=plant.centre_id,
                    municipality_id=plant.world.no.municipality_id)
    other = Principal(role="coordinator", centre_id=plant.world.dk.centre_id,
                      municipality_id=plant.world.dk.municipality_id)
    volunteer = Principal(role="volunteer", volunteer_id=plant.volunteer_ids[0],
                          centre_id=plant.centre_id)
    with app.app_context():
        run = service.create_run(own, _request(plant.centre_id), wake=False)
        assert (run.status, run.trigger) == ("queued", "api")
        with pytest.raises(NotFound):
            service.get_run(other, run.id)
        with pytest.raises(NotFound):
            service.get_run(volunteer, run.id)
        with pytest.raises(NotFound):
            service.cancel_run(other, run.id)
        with pytest.raises(Invalid) as elsewhere:
            service.create_run(other, _request(plant.centre_id), wake=False)
        assert elsewhere.value.errors == {"centre_id": ["no such centre"]}
        assert [r.id for r in db.session.scalars(service.runs_query(own, {}))] == [run.id]
        assert list(db.session.scalars(service.runs_query(other, {}))) == []


def test_a_run_that_ended_is_not_failed_again_by_a_late_process(app, plant: Plant):
    with app.app_context():
        run = service.create_run(ADMIN, _request(plant.centre_id), wake=False)
        claimed = service.claim_next_run()
        assert claimed is not None and claimed.id == run.id
        # A second process thinks the run is stale and ends it first...
        long_ago = utcnow() + timedelta(days=1)
        assert service.recover_stale_runs(long_ago) == [run.id]
        # ...so the worker's own failure (or success) must not overwrite that.
        after = fail(run.id, "the solver process was stopped by signal 9")
        assert after.status == "failed"
        assert "stopped before it finished" in after.error
        assert service.recover_stale_runs(long_ago) == []


def test_nightly_runs_come_once_per_night(app, plant: Plant):
    from datetime import date

    with app.app_context():
        first = service.queue_nightly_run(plant.centre_id, date(2030, 1, 7), SOON,
                                          SOON + timedelta(days=14), 60)
        again = service.queue_nightly_run(plant.centre_id, date(2030, 1, 7), SOON,
                                          SOON + timedelta(days=14), 60)
        assert first is not None and first.trigger == "nightly" and again is None
