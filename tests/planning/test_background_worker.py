"""The real background worker thread: POST answers at once, the plan appears."""

from __future__ import annotations

import time

from medsam_match.jobs.worker import start_worker, stop_worker

from .conftest import post_run


def test_post_answers_202_and_the_worker_thread_solves_in_the_background(app, client, centre):
    thread = start_worker(app, poll_seconds=0.2)
    try:
        run = post_run(client, centre, time_limit_s=5)
        assert run["status"] == "queued"
        deadline = time.monotonic() + 120
        status = run["status"]
        seen = {status}
        while status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
            status = client.get(f"/api/v1/match-runs/{run['id']}", headers=centre.headers).get_json()["status"]
            seen.add(status)
        assert status == "succeeded"
        assert client.get("/api/v1/assignments", headers=centre.headers).get_json()
    finally:
        stop_worker()
        thread.join(timeout=30)
