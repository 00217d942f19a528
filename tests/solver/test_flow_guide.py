"""The min-cost flow that picks the triples a large part is searched on first."""

from __future__ import annotations

from solver.flow_guide import flow_support
from solver.model import ModelData, find_candidates
from solver.scenario import Assignment
from tests.solver.helpers import at, minimal_scenario, role, scenario_of, session, volunteer


def _support(**doc: object) -> set[Assignment]:
    sc = scenario_of(**doc)
    return flow_support(ModelData.whole(sc, find_candidates(sc)))


def test_a_volunteer_at_the_weekly_limit_goes_where_nobody_else_can() -> None:
    """ann may do one session a week and is the only driver; bo can only host.
    Filling both slots means ann drives and bo hosts, never ann hosting."""
    support = _support(
        sessions=[
            session("s1", roles=[role("host")]),
            session("s2", start=at("17:00", "2026-12-09"), end=at("19:00", "2026-12-09"),
                    roles=[role("driver", skills=["car"])]),
        ],
        volunteers=[volunteer("ann", skills=["car"], max_sessions_per_week=1), volunteer("bo")],
    )
    assert support == {Assignment("ann", "s2", "driver"), Assignment("bo", "s1", "host")}


def test_one_session_a_day_for_volunteers_with_weekly_limits() -> None:
    """Two sessions the same evening and a volunteer with a few sessions a
    week: the flow takes one."""
    support = _support(
        sessions=[session("s1"), session("s2")],
        volunteers=[volunteer("ann", max_sessions_per_week=3)],
    )
    assert len(support) == 1


def test_no_day_limit_without_weekly_limits() -> None:
    """A volunteer without limits (SMPTSP's workers) may take a day's back-to-back tasks."""
    support = _support(
        sessions=[session("s1", end=at("18:00")), session("s2", start=at("18:00"))],
        volunteers=[volunteer("ann")],
    )
    assert len(support) == 2


def test_slots_beyond_min_count_when_people_are_left() -> None:
    doc = minimal_scenario(
        sessions=[session("s1", roles=[role("host", min=1, max=2)])],
        volunteers=[volunteer("ann"), volunteer("bo")],
    )
    support = _support(sessions=doc["sessions"], volunteers=doc["volunteers"])
    assert {a.volunteer for a in support} == {"ann", "bo"}
