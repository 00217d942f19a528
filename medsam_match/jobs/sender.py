"""The message sender: a thread that, every few seconds, enqueues the
reminders that have come due and delivers the outbox's due messages
(services/notifications). Started with the run worker (embedded, or
`medsam-match scheduler`); `medsam-match send-messages` does one round in
the foreground. Several processes sending at once is safe: rows are claimed
through the database.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)

_stop = threading.Event()
_wake = threading.Event()
HOUSEKEEPING_EVERY_S = 600.0
_last_housekeeping = [float("-inf")]


def sender_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def send_round(app: Flask, *, limit: int | None = None) -> Any:
    """Enqueue due reminders, then deliver every due message; returns the outcome."""
    from ..extensions import db
    from ..services.notifications.delivery import deliver_due, housekeeping
    from ..services.notifications.reminders import enqueue_due_reminders

    with app.app_context():
        try:
            enqueue_due_reminders(int(app.config.get("MEDSAM_REMINDER_HOURS") or 24))
        except Exception:  # noqa: BLE001 - a failed reminder round must not stop sending
            log.exception("enqueueing reminders failed")
            db.session.rollback()
        if time.monotonic() - _last_housekeeping[0] >= HOUSEKEEPING_EVERY_S:
            _last_housekeeping[0] = time.monotonic()
            try:
                housekeeping()
            except Exception:  # noqa: BLE001 - a failed clean-up must not stop sending
                log.exception("deleting old messages failed")
        try:
            return deliver_due(app.config, worker=sender_name(), limit=limit)
        finally:
            db.session.remove()


def _loop(app: Flask, poll_seconds: float) -> None:
    while not _stop.is_set():
        try:
            outcome = send_round(app)
            if outcome.sent or outcome.failed:
                log.info("messages: %d sent, %d to retry, %d failed", len(outcome.sent),
                         len(outcome.retried), len(outcome.failed))
        except Exception:  # noqa: BLE001 - the sender must survive anything
            log.exception("the message sender hit an error; it goes on")
        _wake.wait(poll_seconds)
        _wake.clear()


def wake() -> None:
    _wake.set()


def start_sender(app: Flask, poll_seconds: float = 5.0) -> threading.Thread:
    _stop.clear()
    thread = threading.Thread(target=_loop, args=(app, poll_seconds), name="medsam-sender",
                              daemon=True)
    thread.start()
    return thread


def stop_sender() -> None:
    _stop.set()
    _wake.set()
