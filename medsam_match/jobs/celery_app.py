"""The task queue (Celery), used when `MEDSAM_BROKER_URL` is set.

One Celery application per process, configured from the Flask app's
settings by `init_celery`. Its two tasks (`tasks.py`) do the background
work that the embedded worker threads do without a broker: planning runs
(queue `runs`) and message delivery (queue `messages`).

Delivery guarantees come from the database, not the broker: a task is
acknowledged only after it ran (`task_acks_late`), is given back to the
queue when its worker process dies (`task_reject_on_worker_lost`), and a
worker takes one task at a time per process (`worker_prefetch_multiplier =
1`), so a task may arrive twice; the run's claim and the outbox's claim
(compare-and-set in the database) make the second delivery do nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from celery import Celery
    from flask import Flask

RUNS_QUEUE = "runs"
MESSAGES_QUEUE = "messages"
RUN_TASK = "medsam.run"
MESSAGES_TASK = "medsam.deliver_messages"
BROKER_SETTING = "MEDSAM_BROKER_URL"

_celery: list[Celery] = []
_flask: list[Flask] = []


def broker_url(config: Any) -> str:
    return str(config.get(BROKER_SETTING) or "")


def celery_config(config: Any) -> dict[str, Any]:
    """Celery's settings (its own names) from the service's configuration."""
    longest_run = float(config.get("MEDSAM_MAX_RUN_TIME_LIMIT_S", 600))
    return {
        "broker_url": broker_url(config),
        "broker_connection_retry_on_startup": True,
        # Sending a task (a web request handing a run over) waits little for a
        # broker that is down: the run waits in the database for the next sweep.
        "broker_connection_timeout": 3,
        "task_publish_retry_policy": {"max_retries": 2, "interval_start": 0,
                                      "interval_step": 0.5, "interval_max": 1},
        # Redis: a task not acknowledged within this time is handed to another
        # worker; longer than any run may take (its time limit twice, plus grace).
        "broker_transport_options": {"visibility_timeout": max(3600, int(2 * longest_run + 600))},
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_ignore_result": True,
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": RUNS_QUEUE,
        "task_routes": {RUN_TASK: {"queue": RUNS_QUEUE}, MESSAGES_TASK: {"queue": MESSAGES_QUEUE}},
        "timezone": "UTC",
        # The service's own log lines go to standard error as they are, not
        # wrapped in Celery's (which would show them all as warnings).
        "worker_redirect_stdouts": False,
    }


def init_celery(app: Flask) -> Celery:
    """This process's Celery application, configured from `app` (once)."""
    from celery import Celery

    if not broker_url(app.config):
        raise RuntimeError(f"{BROKER_SETTING} is not set: there is no task queue")
    _flask[:] = [app]  # the app tasks run in: this process's (tests make several)
    if _celery and _celery[0].conf.broker_url == broker_url(app.config):
        return _celery[0]
    celery = Celery("medsam_match")  # (another broker: a new application, new connections)
    celery.conf.update(celery_config(app.config))
    _celery[:] = [celery]
    from . import tasks

    tasks.register(celery)
    return celery


def flask_app() -> Flask:
    """The Flask app this process's tasks run in."""
    return _flask[0]


def enabled(config: Any) -> bool:
    return bool(broker_url(config))
