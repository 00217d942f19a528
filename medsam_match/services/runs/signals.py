"""How the runs service tells a worker that a run is waiting, without
knowing the worker: a worker registers a callback; the service calls every
registered callback after it commits a new queued run. With no worker in the
process (the web service with scheduler "off"), nobody listens and the
separate scheduler process finds the run on its next poll.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

_listeners: list[Callable[[int | None], None]] = []


def on_run_queued(callback: Callable[[int | None], None]) -> None:
    """Call `callback(run_id)` whenever this process queues a run (idempotent);
    `run_id` is None when the run may not start yet (a repair waits a minute)."""
    if callback not in _listeners:
        _listeners.append(callback)


def forget(callback: Callable[[int | None], None]) -> None:
    if callback in _listeners:
        _listeners.remove(callback)


def run_queued(run_id: int | None = None) -> None:
    """Tell the listeners a run is waiting. A listener's error is logged, not raised:
    the run is committed and will be found by polling anyway."""
    for callback in list(_listeners):
        try:
            callback(run_id)
        except Exception:  # noqa: BLE001
            log.exception("a run-queued listener failed")
