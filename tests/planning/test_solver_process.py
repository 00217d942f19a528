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


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def test_a_killed_worker_leaves_no_scenario_behind_and_no_solver_running(tmp_path):
    """The scenario holds names and homes: it goes to the child through a pipe,
    never into the temp folder, and the child dies with its parent."""
    import json
    import subprocess
    import sys

    scenario = tmp_path / "in.json"
    scenario.write_text(json.dumps(minimal_scenario()), encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    parent = subprocess.Popen(
        [sys.executable, "-c", (
            "import json, sys\n"
            "from medsam_match.services.runs.solve_process import SolveLimits, solve_in_child\n"
            f"doc = json.load(open({str(scenario)!r}))\n"
            "solve_in_child(doc, SolveLimits(time_limit=60, workers=1),\n"
            "               on_start=lambda pid: print(pid, flush=True))\n"
        )],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(temp)},
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()  # SIGKILL: no finally, no cleanup in the parent
    parent.wait()
    deadline = time.monotonic() + 15
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(child), "the solver child outlived its killed parent"
    assert list(temp.rglob("*")) == []


def test_solver_folders_left_by_an_older_version_are_swept_at_start_up(tmp_path):
    from medsam_match.services.runs import sweep_scenario_folders

    left = tmp_path / "medsam-run-abc123"
    left.mkdir()
    (left / "scenario.json").write_text('{"volunteers": [{"name": "Kari Nordmann"}]}')
    unrelated = tmp_path / "someone-else"
    unrelated.mkdir()
    assert sweep_scenario_folders(str(tmp_path)) == [str(left)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["someone-else"]
