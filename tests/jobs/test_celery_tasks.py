"""The task queue's tasks against the real database (SQLite and PostgreSQL)
and, for handing runs over, the real Redis: a task delivered twice does its
work once; a task whose run lost its process ends that run `failed`; a run
is handed to the queue by exactly one of several processes."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from medsam_match.extensions import db
from medsam_match.models import Assignment, MatchRun
from tests.planning.conftest import build_centre, post_run

REDIS_URL = os.environ.get("MEDSAM_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _redis_or_skip() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Redis at {REDIS_URL} is not reachable: {error} (CI=true requires it)")
        pytest.skip(f"Redis at {REDIS_URL} is not reachable")
    return client


def _at_once(target: Any, args: tuple[Any, ...], n: int = 2) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def one(i: int) -> None:
        barrier.wait()
        results[i] = target(*args)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_a_run_task_delivered_twice_at_once_publishes_once(app, client, world, make_token):
    from medsam_match.jobs.tasks import run_named

    centre = build_centre(client, world, make_token)
    run_id = post_run(client, centre)["id"]

    outcomes = _at_once(run_named, (app, run_id))

    assert sorted(outcomes) in (["claimed", "running"], ["claimed", "succeeded"]), outcomes
    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        assert run.status == "succeeded" and run.published_at is not None
        plan = run.result["assignments"]
        rows = db.session.execute(
            select(Assignment.volunteer_id, Assignment.session_id)
            .where(Assignment.match_run_id == run_id)).all()
        assert len(rows) == len(plan) > 0
        assert len(set(rows)) == len(rows)
        before = sorted(db.session.scalars(select(Assignment.id)))
        published = run.published_at
    # A third delivery, later (a redelivered message), changes nothing.
    assert run_named(app, run_id) == "succeeded"
    with app.app_context():
        assert sorted(db.session.scalars(select(Assignment.id))) == before
        assert db.session.get(MatchRun, run_id).published_at == published


def _left_by_a_dead_process(app, run_id: int, attempts: int) -> None:  # type: ignore[no-untyped-def]
    from medsam_match.models.types import utcnow

    gone = subprocess.Popen(["true"])
    gone.wait()
    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        run.status, run.started_at, run.heartbeat_at = "running", utcnow(), utcnow()
        run.worker, run.attempts = f"{socket.gethostname()}:{gone.pid}", attempts
        db.session.commit()


def test_a_task_finding_its_run_left_by_a_dead_process_runs_it_again(app, client, world,
                                                                     make_token):
    from medsam_match.jobs.tasks import run_named

    centre = build_centre(client, world, make_token)
    run_id = post_run(client, centre)["id"]
    _left_by_a_dead_process(app, run_id, attempts=1)

    assert run_named(app, run_id) == "claimed"

    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        assert run.status == "succeeded" and run.attempts == 2 and run.published_at is not None
        assert run.worker == f"{socket.gethostname()}:{os.getpid()}"


def test_a_run_whose_process_died_on_its_second_start_is_failed(app, client, world, make_token):
    from medsam_match.jobs.tasks import run_named

    centre = build_centre(client, world, make_token)
    run_id = post_run(client, centre)["id"]
    _left_by_a_dead_process(app, run_id, attempts=2)

    assert run_named(app, run_id) == "running"

    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        assert run.status == "failed" and "stopped before it finished" in run.error
        assert run.published_at is None and run.attempts == 2
        assert db.session.scalar(select(func.count()).select_from(Assignment)
                                 .where(Assignment.match_run_id == run_id)) == 0


def test_of_two_processes_recovering_at_once_one_queues_the_run_again(app, client, world,
                                                                     make_token):
    from medsam_match.services.runs.recover import retry_or_fail_stale_runs

    centre = build_centre(client, world, make_token)
    run_id = post_run(client, centre)["id"]
    _left_by_a_dead_process(app, run_id, attempts=1)

    def recover() -> tuple[list[int], list[int]]:
        with app.app_context():
            try:
                return retry_or_fail_stale_runs()
            finally:
                db.session.remove()

    outcomes = _at_once(recover, (), n=3)
    assert sorted(outcomes) == [([], []), ([], []), ([run_id], [])]
    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        assert run.status == "queued" and run.worker is None and run.enqueued_at is None


@pytest.mark.parametrize("retry", [True, False], ids=["queue-again", "fail"])
def test_a_recovery_that_looked_before_another_restarted_the_run_leaves_it_running(
        app, client, world, make_token, retry):
    """Process A finds the run stale; before A moves it, process B queues it
    again and starts it (its second start, alive). A's move must not touch
    B's start: neither queue it again (two workers would solve it) nor fail it."""
    from medsam_match.models.types import utcnow
    from medsam_match.services.runs.claim import CLAIMED, claim_named_run
    from medsam_match.services.runs.recover import _recover, _stale_runs, retry_or_fail_stale_runs

    centre = build_centre(client, world, make_token)
    run_id = post_run(client, centre)["id"]
    _left_by_a_dead_process(app, run_id, attempts=1)
    with app.app_context():
        seen_by_a = _stale_runs(utcnow())
        db.session.rollback()
    assert [run.id for run in seen_by_a] == [run_id]

    with app.app_context():  # process B: queued again, and started here
        assert retry_or_fail_stale_runs() == ([run_id], [])
        assert claim_named_run(run_id) == CLAIMED
        db.session.remove()

    with app.app_context():  # process A goes on with what it saw
        assert _recover(seen_by_a, utcnow(), retry=retry) == ([], [])
        db.session.remove()
    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        assert run.status == "running" and run.attempts == 2 and run.error is None
        assert run.worker == f"{socket.gethostname()}:{os.getpid()}"


def test_a_run_whose_heartbeat_stopped_is_failed_whatever_its_host(app, client, world,
                                                                   make_token):
    from datetime import timedelta

    from medsam_match.models.types import utcnow
    from medsam_match.services.runs import recover_stale_runs

    centre = build_centre(client, world, make_token)
    quiet, beating = post_run(client, centre)["id"], post_run(client, centre)["id"]
    with app.app_context():
        for run_id, last in ((quiet, utcnow() - timedelta(minutes=3)), (beating, utcnow())):
            run = db.session.get(MatchRun, run_id)
            run.status, run.worker = "running", "another-host:123"
            run.started_at = utcnow() - timedelta(minutes=4)
            run.heartbeat_at = last
        db.session.commit()
        assert recover_stale_runs() == [quiet]
        assert db.session.get(MatchRun, beating).status == "running"


def test_a_run_is_handed_to_the_queue_by_one_process_only(app, client, world, make_token):
    from medsam_match.jobs.celery_app import RUNS_QUEUE
    from medsam_match.jobs.dispatch import hand_over, hand_over_due
    from medsam_match.services.runs.handover import let_go

    redis_client = _redis_or_skip()
    redis_client.flushdb()
    app.config["MEDSAM_BROKER_URL"] = REDIS_URL
    centre = build_centre(client, world, make_token)
    run_id = post_run(client, centre)["id"]

    def offer() -> bool:
        with app.app_context():
            try:
                return hand_over(run_id)
            finally:
                db.session.remove()

    assert sorted(_at_once(offer, (), n=4)) == [False, False, False, True]
    assert redis_client.llen(RUNS_QUEUE) == 1
    with app.app_context():
        assert hand_over_due() == []  # with the queue already
        assert let_go(run_id)  # e.g. its task found the centre busy
        assert hand_over_due() == [run_id]
        assert db.session.get(MatchRun, run_id).enqueued_at is not None
    assert redis_client.llen(RUNS_QUEUE) == 2
    redis_client.flushdb()


def test_without_a_broker_the_worker_command_says_what_to_set(tmp_path):
    env = {**os.environ, "MEDSAM_DATA_DIR": str(tmp_path), "MEDSAM_BROKER_URL": "",
           "MEDSAM_CHECK_SCHEMA": "false",
           "MEDSAM_SECRET_KEY": "k" + "Zq8rT3vWx9Lm2Np5Qs7Yb4Hc6Jd1Fg0Ae3Ru5Ti"}
    done = subprocess.run([".venv/bin/medsam-match", "worker"], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode != 0
    assert "MEDSAM_BROKER_URL is not set" in done.stderr


def test_rate_limits_count_in_the_redis_broker_unless_told_otherwise():
    from medsam_match.config import ratelimit_storage

    redis_broker = "redis://queue.internal:6379/0"
    assert ratelimit_storage({"broker_url": redis_broker, "ratelimit_storage_url": ""}) == redis_broker
    assert ratelimit_storage({"broker_url": "amqp://guest@mq//",
                              "ratelimit_storage_url": ""}) == "memory://"
    assert ratelimit_storage({"broker_url": "", "ratelimit_storage_url": ""}) == "memory://"
    assert ratelimit_storage({"broker_url": redis_broker,
                              "ratelimit_storage_url": "memory://"}) == "memory://"


def test_the_heartbeat_is_written_while_a_run_is_executed_and_stops_with_it(app, client, world,
                                                                            make_token):
    import time

    from medsam_match.models.types import utcnow
    from medsam_match.services.runs.heartbeat import beat, beating

    centre = build_centre(client, world, make_token)
    run_id = post_run(client, centre)["id"]
    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        started = utcnow()
        run.status, run.started_at, run.heartbeat_at = "running", started, started
        db.session.commit()
        with beating(run_id, every=0.2):
            time.sleep(1.0)
        first = db.session.get(MatchRun, run_id, populate_existing=True).heartbeat_at
        assert first > started
        time.sleep(0.5)  # stopped with the block: no beat after it
        assert db.session.get(MatchRun, run_id, populate_existing=True).heartbeat_at == first
        run = db.session.get(MatchRun, run_id)
        run.status = "succeeded"
        db.session.commit()
        assert beat(run_id) is False  # an ended run is never touched
        assert db.session.get(MatchRun, run_id, populate_existing=True).heartbeat_at == first


def test_with_the_broker_down_a_run_waits_in_the_database_to_be_handed_over(app, client, world,
                                                                           make_token):
    import time

    from medsam_match.jobs.dispatch import hand_over

    app.config["MEDSAM_BROKER_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    centre = build_centre(client, world, make_token)
    run_id = post_run(client, centre)["id"]
    with app.app_context():
        started = time.monotonic()
        assert hand_over(run_id) is False
        assert time.monotonic() - started < 30  # a request handing it over is not held long
        run = db.session.get(MatchRun, run_id, populate_existing=True)
        assert run.status == "queued" and run.enqueued_at is None  # the sweep sends it later


def test_a_repair_after_a_decline_is_handed_over_after_its_minute_and_solved(app, client, world,
                                                                            make_token):
    from datetime import timedelta

    from medsam_match.jobs.tasks import run_named
    from medsam_match.models.types import utcnow
    from medsam_match.services.runs.handover import runs_to_hand_over
    from tests.conftest import auth

    centre = build_centre(client, world, make_token)
    first = post_run(client, centre)["id"]
    assert run_named(app, first) == "claimed"
    proposed = client.get("/api/v1/assignments", headers=centre.headers,
                          query_string={"status": "proposed"}).get_json()
    drop = proposed[0]
    assert client.post(f"/api/v1/assignments/{drop['id']}:decline",
                       headers=auth(centre.volunteer_tokens[drop["volunteer_id"]])).status_code == 200
    with app.app_context():
        repair = db.session.scalars(select(MatchRun).where(MatchRun.trigger == "decline")).one()
        repair_id = repair.id
        assert repair.not_before > utcnow()
        assert runs_to_hand_over() == []  # it waits a minute for more declines
        assert runs_to_hand_over(utcnow() + timedelta(seconds=61)) == [repair_id]
        # Its task arriving early lets it go again, untouched.
    assert run_named(app, repair_id) == "not-yet"
    with app.app_context():
        run = db.session.get(MatchRun, repair_id)
        assert run.status == "queued" and run.attempts == 0
        run.not_before = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert run_named(app, repair_id) == "claimed"
    with app.app_context():
        run = db.session.get(MatchRun, repair_id)
        assert run.status == "succeeded", run.error
        declined = db.session.get(Assignment, drop["id"])
        assert declined.status == "declined"
