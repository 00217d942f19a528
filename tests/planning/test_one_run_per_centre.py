"""Only one run per centre runs at a time, so two never publish over each other."""

from __future__ import annotations

from medsam_match.errors import Conflict
from medsam_match.extensions import db
from medsam_match.models import MatchRun
from medsam_match.services.runs import claim_next_run, claim_run

from .conftest import post_run


def test_a_second_run_for_the_same_centre_waits_for_the_first(app, client, centre, world):
    first = post_run(client, centre)
    second = post_run(client, centre)
    with app.app_context():
        taken = claim_next_run()
        assert taken is not None and taken.id == first["id"]
        # The centre has a run in progress: its second run is not handed out.
        assert claim_next_run() is None
        try:
            claim_run(second["id"])
        except Conflict as error:
            assert f"run {first['id']} for this centre is in progress" in error.detail
        else:
            raise AssertionError("claiming a second run for a busy centre must be refused")
        assert db.session.get(MatchRun, second["id"]).status == "queued"
        # Another centre is not held up.
        other = MatchRun(centre_id=world.dk.centre_id, window_from=taken.window_from,
                         window_to=taken.window_to, status="queued")
        db.session.add(other)
        db.session.commit()
        assert claim_next_run().id == other.id
        # When the first ends, the second goes.
        finished = db.session.get(MatchRun, first["id"])
        finished.status = "succeeded"
        db.session.commit()
        assert claim_next_run().id == second["id"]


def test_publishing_a_dry_run_while_another_run_is_running_is_refused(app, client, centre):
    from .conftest import run_queued

    dry = post_run(client, centre, dry_run=True)
    run_queued(app)
    busy = post_run(client, centre)
    with app.app_context():
        claim_next_run()
    response = client.post(f"/api/v1/match-runs/{dry['id']}:publish", headers=centre.headers)
    assert response.status_code == 409
    assert f"run {busy['id']} for this centre is in progress" in response.get_json()["detail"]
