"""Recovering after a crash: runs left `running` by a process that died are
ended `failed`, and solver folders an older version left in the temp folder
(they held scenarios with personal data) are removed.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from ...extensions import db
from ...models import MatchRun
from ...models.types import utcnow
from .. import notifications
from .heartbeat import SILENT_AFTER

log = logging.getLogger(__name__)

STALE_MESSAGE = (
    "the process running this run stopped before it finished "
    "(service restart or crash); nothing was published — start a new run"
)
#: Folders the solver process used to write scenarios into (before they went through a pipe).
LEGACY_FOLDER_PREFIX = "medsam-run-"


#: A run is started at most this often: a run whose process died on its last
#: attempt is failed, not retried (it may be what killed the process).
MAX_ATTEMPTS = 2


@dataclass(frozen=True)
class _Stale:
    """A run found left by a dead process: its id, and which start it was."""
    id: int
    attempts: int


def _stale_runs(now: datetime) -> list[_Stale]:
    """Runs left `running` by a process that died.

    A run is stale when its worker is a process of this host that no longer
    exists, when its heartbeat stopped (`heartbeat`: its process died or
    hangs, on any host), or when it has been running far longer than its time
    limit allows."""
    host = socket.gethostname()
    stale = []
    for run in db.session.scalars(select(MatchRun).where(MatchRun.status == "running")):
        worker_host, _, pid = (run.worker or "").partition(":")
        dead_here = worker_host == host and pid.isdigit() and not _alive(int(pid))
        last_sign = run.heartbeat_at or run.started_at
        silent = last_sign is not None and now - last_sign > SILENT_AFTER
        overdue = run.started_at is not None and now - run.started_at > timedelta(
            seconds=run.time_limit_s * 2 + 300
        )
        if dead_here or silent or overdue:
            stale.append(_Stale(run.id, run.attempts))
    return stale


def _move(run: _Stale, **values: Any) -> bool:
    """Compare-and-set on the start that was found stale: `running` with the
    same attempt count. A run queued again and started anew by another
    process meanwhile (its count went up) is left to that process."""
    result = db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run.id, MatchRun.status == "running",
               MatchRun.attempts == run.attempts)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def _fail(runs: list[_Stale], now: datetime) -> list[int]:
    failed = [run.id for run in runs
              if _move(run, status="failed", finished_at=now, error=STALE_MESSAGE)]
    for run_id in failed:
        notifications.on_run_failed(run_id)  # a nightly one: the morning digest says so
    return failed


def recover_stale_runs(now: datetime | None = None) -> list[int]:
    """Mark failed the runs left `running` by a process that died (see
    `_stale_runs`); returns their ids. Each is ended with a compare-and-set,
    so a run that finishes at this moment keeps its result."""
    now = now or utcnow()
    return _recover(_stale_runs(now), now, retry=False)[1]


def retry_or_fail_stale_runs(now: datetime | None = None) -> tuple[list[int], list[int]]:
    """The task queue's recovery: a run whose process died is queued again
    for another worker if it has had fewer than `MAX_ATTEMPTS` starts, else
    failed. Returns (queued again, failed). Both moves are compare-and-sets
    on the stale start (`_move`), so of several processes recovering at once
    one moves each run, a run that finishes meanwhile keeps its result, and a
    run another process queued again and started meanwhile keeps running."""
    now = now or utcnow()
    return _recover(_stale_runs(now), now, retry=True)


def _recover(stale: list[_Stale], now: datetime, *, retry: bool) -> tuple[list[int], list[int]]:
    retried = [run for run in stale if retry and run.attempts < MAX_ATTEMPTS]
    again = [run.id for run in retried
             if _move(run, status="queued", worker=None, started_at=None, heartbeat_at=None,
                      enqueued_at=None, scenario=None)]
    failed = _fail([run for run in stale if run not in retried], now)
    db.session.commit()
    if again:
        log.warning("runs whose process died queued again: %s", again)
    return again, failed


def sweep_scenario_folders(folder: str | None = None) -> list[str]:
    """Remove solver folders left in the temp folder by a killed process of an
    older version; returns what was removed."""
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(LEGACY_FOLDER_PREFIX + "*"):
        if path.is_dir() and path.owner() == _me():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(str(path))
    if removed:
        log.warning("removed %d solver folders left by a stopped process", len(removed))
    return removed


def _me() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
