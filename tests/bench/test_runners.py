"""The benchmark runners' own arithmetic: gap, repair set-up, change count,
tables, request timing, and solving in a child process."""

from __future__ import annotations

import csv

import pytest

from bench import report
from bench.child import solve_in_child
from bench.repair import changes, declined_plan
from bench.sizes import gap
from bench.smptsp import instance_path, load_instance, set_dir


def test_gap_is_relative_to_the_bound():
    assert gap(90.0, 100.0) == pytest.approx(0.1)
    assert gap(-110.0, -100.0) == pytest.approx(0.1)
    assert gap(100.0, 100.0) == 0.0
    assert gap(None, 100.0) is None
    assert gap(5.0, None) is None


def result_with(assignments):
    return {"assignments": [{"volunteer": v, "session": s, "role": r} for v, s, r in assignments]}


def test_declined_plan_forbids_the_declined_and_keeps_the_rest_as_previous():
    plan = [(f"v{i}", f"s{i}", "host") for i in range(40)]
    doc = {"format": "medsam-scenario/1", "sessions": [], "volunteers": []}
    repaired, declines = declined_plan(doc, result_with(plan), 0.05, seed=1)
    assert declines == 2
    forbidden = {(f["volunteer"], f["session"]) for f in repaired["forbidden"]}
    previous = {(p["volunteer"], p["session"], p["role"]) for p in repaired["previous"]}
    assert len(forbidden) == 2 and len(previous) == 38
    assert not {(v, s) for v, s, _ in previous} & forbidden
    assert previous | {(v, s, "host") for v, s in forbidden} == set(plan)
    assert "forbidden" not in doc  # the original is left alone
    assert declined_plan(doc, result_with(plan), 0.05, seed=1)[0] == repaired


def test_declined_plan_can_give_a_share_of_the_rest_as_confirmed():
    plan = [(f"v{i}", f"s{i}", "host") for i in range(40)]
    doc = {"format": "medsam-scenario/1", "sessions": [], "volunteers": []}
    repaired, declines = declined_plan(doc, result_with(plan), 0.05, seed=1, confirmed=0.25)
    fixed = {(p["volunteer"], p["session"], p["role"]) for p in repaired["fixed"]}
    previous = {(p["volunteer"], p["session"], p["role"]) for p in repaired["previous"]}
    assert declines == 2 and len(fixed) == 10 and len(previous) == 28
    assert not fixed & previous
    declined = {(f["volunteer"], f["session"], "host") for f in repaired["forbidden"]}
    assert fixed | previous | declined == set(plan)


def test_changes_count_both_directions():
    previous = [{"volunteer": "a", "session": "s1", "role": "host"},
                {"volunteer": "b", "session": "s2", "role": "host"}]  # fmt: skip
    assert changes(previous, result_with([("a", "s1", "host"), ("b", "s2", "host")])) == 0
    assert changes(previous, result_with([("a", "s1", "host"), ("c", "s2", "host")])) == 2
    assert changes(previous, result_with([("a", "s1", "helper")])) == 3


def test_table_and_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS_DIR", tmp_path)
    rows = [{"size": "S", "gap": 0.0012, "score": 51234.5, "status": None}]
    text = report.format_table(("size", "score", "gap", "status"), rows)
    assert text.splitlines()[0].split("|")[1].strip() == "size"
    assert "51,234.50" in text and "1.20e-03" in text and "| -" in text
    path = report.write_csv("sizes", ("size", "score", "gap", "status"), rows)
    with open(path, newline="", encoding="utf-8") as fh:
        assert list(csv.DictReader(fh)) == [
            {"size": "S", "score": "51234.5", "gap": "0.0012", "status": ""}
        ]


def test_timed_calls_after_the_warm_up_and_its_row():
    calls = []
    times, cpu = report.timed(lambda: calls.append(1), 20, warm=3)
    assert len(calls) == 23 and len(times) == len(cpu) == 20
    assert all(t >= 0 for t in times + cpu)
    assert report.p95([float(i) for i in range(20, 0, -1)]) == 19.0  # nearest rank
    assert report.p95([7.0]) == 7.0
    row = report.timing_row("/my/", ([5.0, 1.0, 3.0, 100.0], [1.0, 2.0, 3.0, 4.0]))
    assert row == {"request": "/my/", "requests": 4, "p50 ms": 4.0, "p95 ms": 100.0,
                   "max ms": 100.0, "p95 cpu ms": 4.0}


@pytest.mark.skipif(not set_dir().is_dir(), reason=f"SMPTSP data not found at {set_dir()}")
def test_solving_in_a_child_process_returns_the_result_and_its_memory():
    doc = load_instance(instance_path("data_2_24_40_33"))
    child = solve_in_child(doc, time_limit=10, workers=1)
    assert child.exit_code == 0
    assert child.result["status"] == "optimal"
    assert len({a["volunteer"] for a in child.result["assignments"]}) == 20
    assert 20 < child.peak_rss_mb < 2000  # a Python process with ortools loaded
    assert child.wall_seconds > 0
