"""Executing a claimed run: build the scenario, solve it in a child process,
store the result and publish the plan.

The solve happens outside any database transaction. Every way a run ends is
a compare-and-set from `running` (to `succeeded` or `failed`), so a run that
was meanwhile declared dead by `recover` (or ended by anyone else) is not
overwritten, and a plan is published only together with the run's move to
`succeeded`, in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import current_app

from ...domain_errors import Conflict, NotFound
from ...extensions import db
from ...models import Centre, MatchRun
from ...models.types import utcnow
from .. import notifications
from ..explanations import localize_unfilled
from ..locking import transition
from ..planning_scenario import build_scenario
from . import solve_process
from .heartbeat import beating
from .publish import Window, plan_changes, publish

log = logging.getLogger(__name__)

PLAN_STATUSES = ("optimal", "feasible")


def execute_run(
    run_id: int, on_progress: Callable[[dict[str, Any]], None] | None = None
) -> MatchRun:
    """Build the scenario, solve it in a child process, store and publish.

    Every failure ends the run `failed` with a readable error; nothing is
    published then."""
    run = db.session.get(MatchRun, run_id)
    if run is None:
        raise NotFound("match run")
    try:
        centre = db.session.get(Centre, run.centre_id)
        if centre is None:
            raise NotFound("centre")
        scenario = build_scenario(centre, run.window_from, run.window_to, mode=run.mode)
        if not transition(MatchRun, run_id, ("running",), scenario=scenario):
            db.session.rollback()
            return _current(run_id)
        db.session.commit()
        limits = solve_process.SolveLimits(
            time_limit=run.time_limit_s,
            workers=current_app.config.get("MEDSAM_SOLVER_WORKERS"),
            memory_limit_mb=current_app.config.get("MEDSAM_SOLVER_MEMORY_LIMIT_MB", 8192),
        )
        log.info(
            "run %s: solving %d sessions, %d volunteers",
            run_id,
            len(scenario["sessions"]),
            len(scenario["volunteers"]),
        )
        with beating(run_id):
            result = solve_process.solve_in_child(scenario, limits, on_progress=on_progress)
    except solve_process.SolverProcessError as error:
        return fail(run_id, str(error))
    except Exception as error:  # noqa: BLE001 - any failure must end the run, readable
        log.exception("run %s failed", run_id)
        return fail(run_id, f"the run failed while preparing the plan: {error}")

    try:
        return _finish(run_id, result)
    except Conflict as error:
        return fail(run_id, error.detail, result=result)
    except Exception as error:  # noqa: BLE001
        log.exception("run %s failed while publishing", run_id)
        return fail(run_id, f"the plan could not be published: {error}", result=result)


def _current(run_id: int) -> MatchRun:
    run = db.session.get(MatchRun, run_id, populate_existing=True)
    assert run is not None
    return run


def fail(run_id: int, message: str, result: dict[str, Any] | None = None) -> MatchRun:
    """End a running run `failed` with `message`; a run no longer running is left as it is."""
    db.session.rollback()
    values: dict[str, Any] = {"status": "failed", "error": message, "finished_at": utcnow()}
    if result is not None:
        values["result"] = result
    if transition(MatchRun, run_id, ("running",), **values):
        notifications.on_run_failed(run_id)  # the nightly one: the morning digest says so
        db.session.commit()
        log.warning("run %s failed: %s", run_id, message)
    else:
        db.session.rollback()
    return _current(run_id)


def _finish(run_id: int, result: dict[str, Any]) -> MatchRun:
    run = _current(run_id)
    values: dict[str, Any] = {
        "result": result,
        "score": result.get("score"),
        "bound": result.get("bound"),
        "kpis": result.get("kpis"),
        "unfilled": localize_unfilled(result.get("unfilled") or [],
                                      run.centre.municipality.locale),
    }
    if result.get("status") not in PLAN_STATUSES:
        conflicts = result.get("conflicts") or [result.get("message") or "no reason given"]
        raise Conflict("no plan satisfies the hard rules: " + "; ".join(map(str, conflicts)))
    window = Window.load(run)
    values["changes"] = plan_changes(window, result)
    now = utcnow()
    if not run.dry_run:
        publish(run, window, result)
        values["published_at"] = now
    # The plan is published only if the run is still ours to finish.
    if not transition(MatchRun, run_id, ("running",), status="succeeded", finished_at=now,
                      **values):
        db.session.rollback()
        log.warning("run %s ended elsewhere while it was being published; nothing published",
                    run_id)
        return _current(run_id)
    db.session.commit()
    return _current(run_id)
