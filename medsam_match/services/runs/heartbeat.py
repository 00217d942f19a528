"""A running run's sign of life: while a run is being executed, a thread of
the executing process writes `heartbeat_at` every `EVERY` seconds (a
compare-and-set on `running`, so it never touches a run that ended). A run
whose heartbeat is older than `SILENT_AFTER` has lost its process, whichever
host it ran on (`recover`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app

from ...extensions import db
from ...models import MatchRun
from ...models.types import utcnow
from ..locking import transition

log = logging.getLogger(__name__)

EVERY = 10.0
SILENT_AFTER = timedelta(seconds=90)


def beat(run_id: int) -> bool:
    """Write the run's heartbeat now; False when it is no longer running."""
    try:
        alive = transition(MatchRun, run_id, ("running",), heartbeat_at=utcnow())
        db.session.commit()
        return alive
    except Exception:  # noqa: BLE001 - a missed beat is retried at the next
        db.session.rollback()
        log.warning("run %s: the heartbeat could not be written", run_id, exc_info=True)
        return True


@contextmanager
def beating(run_id: int, every: float = EVERY) -> Iterator[None]:
    """Keep the run's heartbeat going while the block runs."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            with app.app_context():
                try:
                    if not beat(run_id):
                        return
                finally:
                    db.session.remove()

    thread = threading.Thread(target=loop, name=f"medsam-heartbeat-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)
