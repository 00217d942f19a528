"""SMPTSP instances (Krishnamoorthy, Ernst & Baatar 2012) through the solver.

A handful of small instances with a proven optimum, converted into scenarios
by bench.smptsp, solved by solver.solve to exactly that optimum and checked by
the validator. The data lives outside the repository (../shared/benchmarks);
without it these tests are skipped.
"""

from __future__ import annotations

from datetime import datetime

import pytest

import solver
from bench.smptsp import (
    COVER_WEIGHT,
    instance_path,
    load_instance,
    read_instance,
    reference_bounds,
    set_dir,
    verdict,
    workers_used,
)
from solver.parse import parse_scenario

pytestmark = pytest.mark.skipif(
    not set_dir().is_dir(),
    reason=f"SMPTSP benchmark data not found at {set_dir()} (set MEDSAM_BENCHMARKS_DIR)",
)

# Small instances with a proven optimum (lb == ub) that CP-SAT proves in seconds.
FAST_PROVEN = [
    "data_1_23_40_66",
    "data_2_24_40_33",
    "data_4_23_59_33",
    "data_8_48_85_33",
    "data_14_75_124_33",  # touching tasks: closed intervals would need 61 workers
]


def test_reference_table_has_every_instance_and_55_proven_optima():
    refs = reference_bounds()
    assert len(refs) == 137
    assert sum(r.proven_optimal for r in refs.values()) == 55
    assert refs["data_1_23_40_66"].lb == refs["data_1_23_40_66"].ub == 20
    assert refs["data_122_422_1358_66"].ub is None  # the table has no solution for it


def test_conversion_keeps_tasks_workers_and_qualifications():
    path = instance_path("data_1_23_40_66")
    instance = read_instance(path)
    doc = load_instance(path)
    assert len(doc["sessions"]) == len(instance.tasks) == 40
    assert len(doc["volunteers"]) == len(instance.qualified) == 23
    assert doc["weights"]["cover_min"] == COVER_WEIGHT and doc["weights"]["volunteer_used"] == -1
    assert all(
        w == 0 for k, w in doc["weights"].items() if k not in ("cover_min", "volunteer_used")
    )
    # The first worker's line reads "26: 6 13 0 1 ...": qualified for tasks 6, 13, 0 ...
    assert {"q6", "q13", "q0"} <= set(doc["volunteers"][0]["skills"])
    assert len(doc["volunteers"][0]["skills"]) == 26
    # Task 0 is "43 516": minutes after the epoch, one role needing its skill.
    first = doc["sessions"][0]
    minutes = datetime.fromisoformat(first["end"]) - datetime.fromisoformat(first["start"])
    assert minutes.total_seconds() == (516 - 43) * 60
    assert first["roles"] == [{"role": "shift", "min": 1, "max": 1, "skills": ["q0"]}]
    parse_scenario(doc)


def test_touching_tasks_are_written_so_that_they_do_not_overlap():
    """Half-open intervals: a task ending at t and one starting at t share a worker."""
    doc = load_instance(instance_path("data_14_75_124_33"))
    starts = {s["start"] for s in doc["sessions"]}
    assert any(s["end"] in starts for s in doc["sessions"])
    scenario = parse_scenario(doc)
    by_end = {s.options[0].end: s for s in scenario.sessions}
    touching = [
        (by_end[s.options[0].start], s) for s in scenario.sessions if s.options[0].start in by_end
    ]
    assert touching
    assert not any(a.options[0].interval.overlaps(b.options[0].interval) for a, b in touching)


def test_a_broken_file_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "broken.dat"
    bad.write_text("Type = 1\nJobs = 2\n 10 20\n 30 25\nQualifications = 1\n 2: 0 1\n")
    with pytest.raises(ValueError, match="broken.dat: task 1 ends at 25"):
        read_instance(bad)
    bad.write_text("Type = 1\nJobs = 1\n 10 20\nQualifications = 1\n 1: 4\n")
    with pytest.raises(ValueError, match="broken.dat: worker 0: bad qualification list"):
        read_instance(bad)
    bad.write_text("Type = 1\n")
    with pytest.raises(ValueError, match="no 'Jobs =' line"):
        read_instance(bad)


def test_verdicts_against_the_reference():
    ref = reference_bounds()["data_9_49_104_33"]  # lb 40, ub 41, not proven
    assert verdict(39, ref) == "BELOW LB (bug)"
    assert verdict(40, ref) == "within [lb,ub]"
    assert verdict(42, ref) == "above ub"
    assert verdict(None, ref) == "TASKS UNCOVERED"
    assert verdict(20, reference_bounds()["data_1_23_40_66"]) == "= optimum"


@pytest.mark.parametrize("name", FAST_PROVEN)
def test_solved_to_the_proven_optimum(name):
    ref = reference_bounds()[name]
    doc = load_instance(instance_path(name))
    result = solver.solve(doc, time_limit=20, workers=2, seed=0)
    assert solver.validate(doc, result) == []
    assert result["kpis"]["fill_rate"] == 1.0  # every task covered
    assert workers_used(doc, result) == ref.lb
    assert result["status"] == "optimal"
    assert result["score"] == pytest.approx(COVER_WEIGHT * ref.tasks - ref.lb)
