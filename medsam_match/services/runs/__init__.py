"""Match runs: asking for a plan, solving it in the background, publishing it.

A run moves

    queued --claim--> running --finish--> succeeded
    queued --cancel--> cancelled          running --fail/recover--> failed

and every move is a compare-and-set on the run's status (see `locking`), so
of two processes trying the same move exactly one succeeds. One module per
job:

- `create`: the one place runs are created (API, CLI, repair after a decline,
  nightly), the queued-runs limit per centre, the queries, cancelling;
- `claim`: a queued run becomes running in exactly one process, one run per
  centre at a time, fairly across centres (`fairness`);
- `execute`: scenario, solve in a child process (`solve_process`), finish;
- `publish`: the plan replaces the centre's proposed assignments;
- `recover`: runs left running by a dead process; leftover solver folders;
- `signals`: how a worker hears of a new run without the service knowing it.
"""

from .claim import claim_next_run, claim_run, worker_name
from .create import (
    ASKED_BY_PEOPLE,
    DEFAULT_MAX_QUEUED,
    DEFAULT_TIME_LIMIT,
    MAX_TIME_LIMIT,
    MAX_WINDOW,
    REPAIR_DEBOUNCE,
    RunRequest,
    cancel_run,
    check_request,
    create_run,
    get_run,
    max_queued_per_centre,
    queue_nightly_run,
    queue_repair,
    runs_query,
)
from .execute import PLAN_STATUSES, execute_run
from .publish import Window, plan_changes, publish, publish_dry_run
from .recover import recover_stale_runs, sweep_scenario_folders
from .signals import on_run_queued, run_queued

__all__ = [
    "ASKED_BY_PEOPLE", "DEFAULT_MAX_QUEUED", "DEFAULT_TIME_LIMIT", "MAX_TIME_LIMIT",
    "MAX_WINDOW", "PLAN_STATUSES", "REPAIR_DEBOUNCE", "RunRequest", "Window", "cancel_run",
    "check_request", "claim_next_run", "claim_run", "create_run", "execute_run", "get_run",
    "max_queued_per_centre", "on_run_queued", "plan_changes", "publish", "publish_dry_run",
    "queue_nightly_run", "queue_repair", "recover_stale_runs", "run_queued", "runs_query",
    "sweep_scenario_folders", "worker_name",
]
