"""The solve runs in its own process: killing it, starving it of memory or
running past the time limit ends the run `failed`, publishes nothing, and the
service goes on answering."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from medsam_match.extensions import db
from medsam_match.jobs.solver_process import SolveLimits, SolverProcessError, solve_in_child
from medsam_match.models import Assignment
from tests.solver.helpers import minimal_scenario

from .conftest import post_run, run_queued


def _solver_children() -> list[int]:
    """Pids of solver child processes started by this test process."""
    found = []
    me = os.getpid()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if "medsam_match.jobs.solve_child" in cmdline and int(stat[1]) == me:
            found.append(int(entry.name))
    return found


def test_killing_the_solver_mid_run_fails_the_run_and_publishes_nothing(app, client, centre):
    run = post_run(client, centre, time_limit_s=60)
    worker = threading.Thread(target=run_queued, args=(app,))
    worker.start()
    deadline = time.monotonic() + 30
    children: list[int] = []
    while not children and time.monotonic() < deadline:
        children = _solver_children()
        time.sleep(0.05)
    assert children, "the solver child process never started"
    # While the solver runs, the API answers.
    assert client.get("/api/v1/health").status_code == 200
    running = client.get(f"/api/v1/match-runs/{run['id']}", headers=centre.headers).get_json()
    assert running["status"] == "running"
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    worker.join(timeout=60)
    assert not worker.is_alive()

    failed = client.get(f"/api/v1/match-runs/{run['id']}", headers=centre.headers).get_json()
    assert failed["status"] == "failed"
    assert "stopped by signal 9" in failed["error"]
    with app.app_context():
        assert db.session.query(Assignment).count() == 0
    assert client.get("/api/v1/assignments", headers=centre.headers).get_json() == []


def test_the_time_limit_is_enforced_from_outside():
    # A deadline shorter than the child needs to start: it is killed.
    limits = SolveLimits(time_limit=1, grace_seconds=-0.95)
    with pytest.raises(SolverProcessError, match="did not finish within"):
        solve_in_child(minimal_scenario(), limits)


def test_a_memory_blow_up_ends_the_child_not_the_service():
    limits = SolveLimits(time_limit=5, memory_limit_mb=64)
    with pytest.raises(SolverProcessError, match="exit code|signal"):
        solve_in_child(minimal_scenario(), limits)


def test_a_normal_solve_reports_progress_and_returns_the_result():
    events: list[dict[str, Any]] = []
    result = solve_in_child(minimal_scenario(), SolveLimits(time_limit=5, workers=1),
                            on_progress=events.append)
    assert result["format"] == "medsam-result/1"
    assert result["status"] in ("optimal", "feasible")
    assert all("score" in e for e in events)


def test_runs_left_running_by_a_dead_process_are_failed_at_start_up(app, client, centre):
    from medsam_match.models import MatchRun
    from medsam_match.services.runs import recover_stale_runs

    run = post_run(client, centre)
    with app.app_context():
        row = db.session.get(MatchRun, run["id"])
        row.status = "running"
        row.started_at = row.created_at
        # A pid that cannot exist on this host.
        row.worker = f"{os.uname().nodename}:{2**22 + 7}"
        db.session.commit()
        assert recover_stale_runs() == [run["id"]]
    after = client.get(f"/api/v1/match-runs/{run['id']}", headers=centre.headers).get_json()
    assert after["status"] == "failed" and "stopped before it finished" in after["error"]
