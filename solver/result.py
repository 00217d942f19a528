"""A plan written out as a `medsam-result/1` document (§5 of the format)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .explain import explain_unfilled
from .kpis import compute_kpis
from .scenario import Plan, Scenario
from .score import compute_score, scheduled_options, score_terms, unique_assignments
from .validator import hard_rule_problems
from .volunteer_index import VolunteerIndex

RESULT_FORMAT = "medsam-result/1"
PLAN_STATUSES = ("optimal", "feasible")
FAILURE_STATUSES = ("infeasible", "error")


def local_time(epoch: int, zone: ZoneInfo) -> str:
    """An ISO 8601 time with the zone's offset, e.g. 2026-12-08T17:00:00+01:00."""
    return datetime.fromtimestamp(epoch, zone).isoformat()


def build_result(
    scenario: Scenario,
    plan: Plan,
    *,
    status: str,
    bound: float | None,
    solver_info: dict[str, Any],
    index: VolunteerIndex | None = None,
) -> dict[str, Any]:
    """The complete result of a plan: schedule, assignments, unfilled slots
    explained, KPIs, and the score recomputed by the formulas. Pass `index`
    to reuse one already built for the scenario."""
    if status not in PLAN_STATUSES:
        raise ValueError(f"a plan's status is one of {PLAN_STATUSES}, not {status!r}")
    options = scheduled_options(scenario, plan)
    session_order = {
        sid: rank
        for rank, sid in enumerate(sorted(options, key=lambda sid: (options[sid].start, sid)))
    }
    schedule = schedule_entries(scenario, plan)
    assignments = sorted(
        unique_assignments(plan),
        key=lambda a: (session_order.get(a.session, len(session_order)), a.session, a.role,
                       a.volunteer),
    )
    terms = score_terms(scenario, plan)
    kpis = compute_kpis(scenario, plan, options)
    kpis["score_terms"] = terms
    return {
        "format": RESULT_FORMAT,
        "status": status,
        "score": compute_score(scenario, plan),
        "bound": bound,
        "schedule": schedule,
        "assignments": [a._asdict() for a in assignments],
        "unfilled": explain_unfilled(scenario, plan, options, index),
        "kpis": kpis,
        "solver": dict(solver_info),
    }


def schedule_entries(scenario: Scenario, plan: Plan) -> list[dict[str, Any]]:
    """The result's `schedule`: each session held, in time order."""
    zone = ZoneInfo(scenario.timezone)
    options = scheduled_options(scenario, plan)
    return [
        {
            "session": sid,
            "start": local_time(options[sid].start, zone),
            "end": local_time(options[sid].end, zone),
            "place": options[sid].place,
        }
        for sid in sorted(options, key=lambda sid: (options[sid].start, sid))
    ]


def plan_problems(doc: dict[str, Any], scenario: Scenario, plan: Plan) -> list[str]:
    """The hard rules the plan breaks, by the validator (which shares no code
    with the model), before its result is written out."""
    return hard_rule_problems(doc, {
        "schedule": schedule_entries(scenario, plan),
        "assignments": [a._asdict() for a in unique_assignments(plan)],
    })


def build_failure_result(
    scenario: Scenario | None,
    *,
    status: str,
    conflicts: list[str] | None,
    message: str | None,
    solver_info: dict[str, Any],
) -> dict[str, Any]:
    """A result without a plan: `infeasible` (with `conflicts`, the reasons in
    plain words) or `error` (with `message`)."""
    if status not in FAILURE_STATUSES:
        raise ValueError(f"a failure's status is one of {FAILURE_STATUSES}, not {status!r}")
    result: dict[str, Any] = {
        "format": RESULT_FORMAT,
        "status": status,
        "score": None,
        "bound": None,
        "schedule": [],
        "assignments": [],
        "unfilled": [],
        "kpis": {},
        "solver": dict(solver_info),
    }
    if status == "infeasible":
        result["conflicts"] = list(conflicts or [])
    if message is not None or status == "error":
        result["message"] = message or "the solver failed"
    if scenario is not None:
        result["kpis"] = {"sessions_total": len(scenario.sessions),
                          "volunteers_total": len(scenario.volunteers)}
    return result
