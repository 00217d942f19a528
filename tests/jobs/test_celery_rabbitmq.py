"""RabbitMQ as the broker (in a virtual host of its own): a worker killed
in the middle of a run gives its task back to the broker at once; the next
worker to get it finds the run's process dead and solves the run again (no
scheduler needed); then it solves the next run as usual.

Needs PostgreSQL and RabbitMQ (with rabbitmqctl); skipped without them
outside CI, a failure in CI.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from medsam_match.extensions import db
from medsam_match.models import MatchRun
from tests.jobs.processes import parent_of
from tests.planning.conftest import build_centre, post_run

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def _unavailable(why: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(why + " (CI=true requires it)")
    pytest.skip(why)


@pytest.fixture
def rabbit_vhost() -> Iterator[str]:
    ctl = shutil.which("rabbitmqctl")
    if ctl is None:
        _unavailable("rabbitmqctl is not installed")
    vhost = f"medsam-test-{uuid.uuid4().hex[:8]}"
    made = subprocess.run([ctl, "add_vhost", vhost], capture_output=True, text=True, timeout=60)
    if made.returncode != 0:
        _unavailable(f"RabbitMQ does not answer: {made.stderr.strip()[-300:]}")
    subprocess.run([ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
                   check=True, capture_output=True, timeout=60)
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        subprocess.run([ctl, "delete_vhost", vhost], capture_output=True, timeout=60)


@pytest.mark.parametrize("app", ["postgres"], indirect=True)
def test_a_killed_workers_task_comes_back_and_its_run_is_solved_again(app, client, world, make_token,
                                                                  rabbit_vhost, tmp_path):
    from medsam_match.jobs.dispatch import hand_over
    from solver import validate

    centre = build_centre(client, world, make_token)
    first = post_run(client, centre, time_limit_s=20)["id"]
    env = {**os.environ, "MEDSAM_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "MEDSAM_BROKER_URL": rabbit_vhost, "MEDSAM_CHECK_SCHEMA": "false",
           "MEDSAM_DATA_DIR": str(tmp_path), "MEDSAM_SOLVER_WORKERS": "1",
           "MEDSAM_SECRET_KEY": "rabbit-" + "Lp4Kq9Wz2Xr7Tn5Ym8Bv3Cs6Dh1Fj0Ga"}
    workers: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> subprocess.Popen[bytes]:
        log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        worker = subprocess.Popen([str(BIN / "medsam-match"), "worker"], env=env, cwd=ROOT,
                                  stdout=log, stderr=subprocess.STDOUT)
        workers.append(worker)
        return worker

    def status(run_id: int) -> tuple[str, str | None]:
        with app.app_context():
            run = db.session.get(MatchRun, run_id, populate_existing=True)
            db.session.rollback()
            return run.status, run.worker

    def wait_for(what: str, check, timeout: float = 90):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if value := check():
                return value
            time.sleep(0.05)
        logs = "\n".join((tmp_path / f"{n}.log").read_text(errors="replace")[-3000:]
                         for n in ("a", "b") if (tmp_path / f"{n}.log").exists())
        pytest.fail(f"timed out waiting for {what}\n{logs}")

    def handed_over(run_id: int) -> bool:
        # As the sweep does: a broker slow to answer (a new virtual host, a
        # busy machine) refuses the task and the run is offered again.
        with app.app_context():
            return hand_over(run_id)

    try:
        worker_a = start("a")
        app.config["MEDSAM_BROKER_URL"] = rabbit_vhost
        wait_for("the broker to take the run's task", lambda: handed_over(first), timeout=60)

        def solving_on_a() -> int | None:
            state, worker = status(first)
            if state == "running" and worker:
                pid = int(worker.rsplit(":", 1)[1])
                return pid if parent_of(pid) == worker_a.pid else None
            return None

        wait_for("worker A to take the run", solving_on_a)
        os.kill(worker_a.pid, signal.SIGKILL)
        worker_a.wait(timeout=10)
        assert status(first)[0] == "running"

        worker_b = start("b")  # gets the task back from RabbitMQ, finds the run's process dead
        wait_for("the run to be solved again", lambda: status(first)[0] == "succeeded")
        with app.app_context():
            run = db.session.get(MatchRun, first)
            assert run.attempts == 2 and run.published_at is not None
            assert parent_of(int(run.worker.rsplit(":", 1)[1])) == worker_b.pid

        second = post_run(client, centre, time_limit_s=2)["id"]
        wait_for("the broker to take the next run's task", lambda: handed_over(second), timeout=60)
        wait_for("the next run to be solved", lambda: status(second)[0] == "succeeded")
        with app.app_context():
            run = db.session.get(MatchRun, second)
            assert run.published_at is not None
            assert validate(run.scenario, run.result) == []
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
