"""The service spread over processes, as in production: the web service
(gunicorn), two Celery workers and two schedulers, each its own process, on
PostgreSQL and Redis, with a real SMTP server for the messages.

Ten demo centres get a run each through the API, then a night comes (the
schedulers start just after the nightly time). While runs are being solved,
one worker is killed (SIGKILL, by its process id). Afterwards: every centre
has exactly one nightly run; runs of different centres were solved at the
same time; the killed worker's run was not left `running` but started again
by the other worker (the scheduler's sweep found its process dead); every
plan validates against its scenario; nothing was published or mailed twice.

Needs PostgreSQL (MEDSAM_TEST_POSTGRES_URL) and Redis; skipped without them
outside CI, a failure in CI.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import _PrivatePostgres
from tests.jobs.processes import parent_of
from tests.notifications.conftest import SmtpServer, free_port
from tests.redis_db import free_redis_db

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(900)]

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
CENTRES = 10
SECRET = "cluster-" + "Vq3Lr8Tx2Wm6Yp9Zb4Nc7Hd1Jf5Gs0Ae"


class Cluster:
    def __init__(self, tmp: Path, database_url: str, broker_url: str, smtp_port: int) -> None:
        self.tmp = tmp
        self.web_port = free_port()
        self.env = {
            **os.environ,
            "MEDSAM_DATABASE_URL": database_url,
            "MEDSAM_BROKER_URL": broker_url,
            "MEDSAM_SECRET_KEY": SECRET,
            "MEDSAM_SCHEDULER": "off",
            "MEDSAM_DATA_DIR": str(tmp / "data"),
            "MEDSAM_SOLVER_WORKERS": "1",
            "MEDSAM_NIGHTLY_TIME_LIMIT_S": "2",
            "MEDSAM_RATE_LIMIT_PER_MINUTE": "0",
            "MEDSAM_SMTP_HOST": "127.0.0.1",
            "MEDSAM_SMTP_PORT": str(smtp_port),
            "MEDSAM_SMTP_SECURITY": "none",
            "MEDSAM_BIND": f"127.0.0.1:{self.web_port}",
            "MEDSAM_WORKERS": "1",
            "MEDSAM_BASE_URL": f"http://127.0.0.1:{self.web_port}",
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def run(self, *args: str, **env: str) -> str:
        done = subprocess.run([str(BIN / "medsam-match"), *args], env={**self.env, **env},
                              capture_output=True, text=True, timeout=300, cwd=ROOT)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start(self, name: str, command: list[str], **env: str) -> subprocess.Popen[bytes]:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, env={**self.env, **env}, stdout=log,
                                   stderr=subprocess.STDOUT, cwd=ROOT)
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 30
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def cluster(postgres_server_url: str, tmp_path: Path) -> Iterator[Cluster]:
    import redis

    broker = free_redis_db()
    database = _PrivatePostgres(postgres_server_url)
    smtp = SmtpServer()
    smtp.start()
    cluster = Cluster(tmp_path, database.create(), broker, smtp.port)
    cluster.smtp = smtp  # type: ignore[attr-defined]
    try:
        yield cluster
    finally:
        cluster.stop()
        smtp.stop()
        redis.Redis.from_url(broker).flushdb()
        database.drop()


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except OSError:
        return 0, b""


def _post_json(url: str, token: str, body: dict[str, Any]) -> int:
    import json

    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def _wait(what: str, check: Any, timeout: float, cluster: Cluster, every: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    logs = "\n".join(f"--- {name}\n{cluster.log(name)}" for name in cluster.processes)
    pytest.fail(f"timed out waiting for {what}\n{logs}")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in state


def test_runs_and_a_night_on_two_workers_and_two_schedulers_survive_a_killed_worker(
        cluster: Cluster) -> None:
    from solver import validate

    cluster.run("db", "upgrade")
    cluster.run("demo", "--no-history")
    engine = create_engine(cluster.env["MEDSAM_DATABASE_URL"])
    with engine.begin() as connection:
        centres = list(connection.scalars(text("SELECT id FROM centre ORDER BY id")))
        assert len(centres) >= CENTRES
        connection.execute(text("UPDATE centre SET active = false WHERE id > :last"),
                           {"last": centres[CENTRES - 1]})
        centres = centres[:CENTRES]
    token = re.search(r"msm_\S+", cluster.run("token", "create", "--role", "admin"))[0]

    medsam = str(BIN / "medsam-match")
    cluster.start("web", [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py",
                          "medsam_match.wsgi:app"])
    worker_a = cluster.start("worker-a", [medsam, "worker"])
    cluster.start("worker-b", [medsam, "worker"])
    base = f"http://127.0.0.1:{cluster.web_port}/api/v1"
    _wait("the web service", lambda: _get(base + "/health")[0] == 200, 120, cluster)

    # A run for each centre, through the API.
    now = datetime.now(ZoneInfo("Europe/Oslo")).replace(second=0, microsecond=0)
    for centre_id in centres:
        assert _post_json(base + "/match-runs", token, {
            "centre_id": centre_id, "from": now.isoformat(),
            "to": (now + timedelta(days=14)).isoformat(), "time_limit_s": 2}) == 202

    # The night comes: the schedulers start a minute after the nightly time.
    night_at = (datetime.now(ZoneInfo("Europe/Oslo")) - timedelta(minutes=1)).strftime("%H:%M")
    for name in ("scheduler-1", "scheduler-2"):
        cluster.start(name, [medsam, "scheduler"], MEDSAM_NIGHTLY_TIME=night_at)

    def run_of_worker_a() -> tuple[int, int] | None:
        """A run worker A is solving, once both workers have finished a few."""
        with engine.connect() as connection:
            done = connection.scalar(text(
                "SELECT count(DISTINCT worker) FROM match_run WHERE status = 'succeeded'"))
            if done < 2:
                return None
            for run_id, worker in connection.execute(text(
                    "SELECT id, worker FROM match_run WHERE status = 'running'")):
                pid = int(worker.rsplit(":", 1)[1])
                if parent_of(pid) == worker_a.pid:
                    return run_id, pid
        return None

    killed_run, pool_pid = _wait("a run on worker A", run_of_worker_a, 180, cluster, every=0.1)
    time.sleep(0.5)  # in the middle of the solve
    os.kill(worker_a.pid, signal.SIGKILL)
    worker_a.wait(timeout=10)

    def everything_ended() -> bool:
        with engine.connect() as connection:
            open_runs = connection.scalar(text(
                "SELECT count(*) FROM match_run WHERE status IN ('queued', 'running')"))
            nightly = connection.scalar(text(
                "SELECT count(*) FROM match_run WHERE \"trigger\" = 'nightly'"))
            unsent = connection.scalar(text(
                "SELECT count(*) FROM outbox_message WHERE status IN ('queued', 'sending') "
                "AND next_attempt_at <= now()"))
        return open_runs == 0 and nightly >= CENTRES and unsent == 0

    _wait("every run to end and its messages to go", everything_ended, 600, cluster)
    assert not _alive(pool_pid), "the killed worker's pool process went on"

    with engine.connect() as connection:
        runs = [dict(row._mapping) for row in connection.execute(text(
            "SELECT id, centre_id, \"trigger\", status, error, started_at, finished_at, "
            "published_at, scenario, result, attempts FROM match_run ORDER BY id"))]
        assignments = connection.execute(text(
            "SELECT volunteer_id, session_id, match_run_id FROM assignment")).all()
        sent_mails = connection.scalar(text(
            "SELECT count(*) FROM outbox_message WHERE channel = 'email' AND status = 'sent'"))

    # Every centre: exactly one nightly run.
    nightly = Counter(run["centre_id"] for run in runs if run["trigger"] == "nightly")
    assert nightly == dict.fromkeys(centres, 1)
    assert Counter(run["centre_id"] for run in runs if run["trigger"] == "api") == \
        dict.fromkeys(centres, 1)

    # The killed worker's run was started again by the other worker: the only
    # run started twice.
    assert {run["id"]: run["attempts"] for run in runs if run["attempts"] != 1} == {killed_run: 2}

    # Every run succeeded and its plan validates against its scenario.
    assert {run["status"] for run in runs} == {"succeeded"}, \
        [(run["id"], run["status"], run["error"]) for run in runs if run["status"] != "succeeded"]
    for run in runs:
        assert run["published_at"] is not None
        assert validate(run["scenario"], run["result"]) == [], run["id"]

    # Runs of different centres were solved at the same time.
    overlapping = [
        (a["id"], b["id"]) for a in runs for b in runs
        if a["centre_id"] != b["centre_id"] and a["id"] < b["id"]
        and a["started_at"] < b["finished_at"] and b["started_at"] < a["finished_at"]
    ]
    assert overlapping

    # Nothing published twice: one row per volunteer and session, and every
    # e-mail the outbox marked sent reached the server exactly once.
    pairs = Counter((a.volunteer_id, a.session_id) for a in assignments)
    assert max(pairs.values()) == 1
    message_ids = [m["Message-ID"] for m in cluster.smtp.messages]  # type: ignore[attr-defined]
    assert sent_mails > 0
    assert len(message_ids) == len(set(message_ids)) == sent_mails
