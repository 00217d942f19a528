"""`medsam-match solve` and `medsam-match validate`, run as a user runs them:
the installed console script in a subprocess.

Every run points MEDSAM_CONFIG at a file that does not exist, so any attempt
to create the Flask app (and with it the database) would fail the command:
the solver commands must work from the files alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .helpers import assignment, at, minimal_scenario, role, session, volunteer

SCRIPT = Path(sys.executable).with_name("medsam-match")
PROGRESS_LINE = re.compile(r"^\s*\d+\.\d{2} s  score \S+  bound \S+  gap \S+$", re.MULTILINE)


def run(*args: str | Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["MEDSAM_CONFIG"] = str(tmp_path / "no-such-config.toml")
    env["MEDSAM_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)


def write(tmp_path: Path, name: str, doc: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def staffed_scenario() -> dict[str, Any]:
    """Two evenings, three volunteers: something to plan."""
    return minimal_scenario(
        sessions=[session("s1", roles=[role("host"), role("helper", min=0, max=2)]),
                  session("s2", start=at("17:00", "2026-12-09"), end=at("19:00", "2026-12-09"))],
        volunteers=[volunteer("v1"), volunteer("v2"), volunteer("v3")],
    )


SOLVE_FAST = ("--time-limit", "3", "--workers", "1", "--seed", "1")


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """One real solve to stdout, shared by the tests that read its output."""
    tmp_path = tmp_path_factory.mktemp("solved")
    scenario = write(tmp_path, "scenario.json", staffed_scenario())
    proc = run("solve", scenario, *SOLVE_FAST, tmp_path=tmp_path)
    result = tmp_path / "result.json"
    result.write_text(proc.stdout, encoding="utf-8")
    return scenario, result, proc


def test_solve_prints_the_result_and_exits_0(solved: Any) -> None:
    _, _, proc = solved
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["format"] == "medsam-result/1"
    assert result["status"] == "optimal"
    assert result["unfilled"] == []
    assert {a["session"] for a in result["assignments"]} == {"s1", "s2"}


def test_solve_reports_progress_on_stderr(solved: Any) -> None:
    _, _, proc = solved
    assert PROGRESS_LINE.search(proc.stderr), proc.stderr
    assert "status optimal" in proc.stderr
    assert "status" not in proc.stdout.splitlines()[0]  # stdout is the JSON alone


def test_validate_agrees_with_solve(solved: Any, tmp_path: Path) -> None:
    scenario, result, _ = solved
    proc = run("validate", scenario, result, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("OK: ")
    assert not (tmp_path / "data").exists()


def test_validate_reports_a_tampered_result_and_exits_1(solved: Any, tmp_path: Path) -> None:
    scenario, result, _ = solved
    doc = json.loads(result.read_text(encoding="utf-8"))
    doc["score"] += 100
    # One more host at s1 than its max of 1: a helper there becomes a second
    # host, or a volunteer not at s1 is added as one.
    hosts = [a for a in doc["assignments"] if (a["session"], a["role"]) == ("s1", "host")]
    helpers = [a for a in doc["assignments"] if (a["session"], a["role"]) == ("s1", "helper")]
    if helpers:
        helpers[0]["role"] = "host"
    else:
        at_s1 = {a["volunteer"] for a in doc["assignments"] if a["session"] == "s1"}
        doc["assignments"].append(assignment(min({"v1", "v2", "v3"} - at_s1), "s1", "host"))
    proc = run("validate", scenario, write(tmp_path, "tampered.json", doc), tmp_path=tmp_path)
    assert proc.returncode == 1
    assert f"H8: role host of session s1 has {len(hosts) + 1} people, more than max 1" in proc.stdout, proc.stdout
    assert "score: reported" in proc.stdout
    assert not proc.stdout.startswith("OK")


def test_solve_writes_the_result_file_with_o(tmp_path: Path) -> None:
    scenario = write(tmp_path, "scenario.json", staffed_scenario())
    out = tmp_path / "plan.json"
    proc = run("solve", scenario, "-o", out, *SOLVE_FAST, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["status"] == "optimal"
    check = run("validate", scenario, out, tmp_path=tmp_path)
    assert check.returncode == 0 and check.stdout.startswith("OK: ")


def test_solve_lists_every_problem_of_a_bad_scenario_and_exits_2(tmp_path: Path) -> None:
    doc = minimal_scenario(
        sessions=[session("s1", roles=[role("host", min=2, max=1)], colour="red")])
    scenario = write(tmp_path, "bad.json", doc)
    out = tmp_path / "plan.json"
    proc = run("solve", scenario, "-o", out, *SOLVE_FAST, tmp_path=tmp_path)
    assert proc.returncode == 2
    assert "sessions[0].colour: unknown field" in proc.stderr
    assert "sessions[0].roles[0].max: 1 is less than min 2" in proc.stderr
    assert "(2 problems)" in proc.stderr
    assert proc.stdout == ""
    assert not out.exists()


@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot read scenario"),
    ('{"format": "medsam-scenario/1",', "is not valid JSON: line 1"),
])
def test_solve_exits_2_on_an_unreadable_file(tmp_path: Path, content: str | None,
                                              message: str) -> None:
    scenario = tmp_path / "scenario.json"
    if content is not None:
        scenario.write_text(content, encoding="utf-8")
    proc = run("solve", scenario, *SOLVE_FAST, tmp_path=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_solve_exits_2_on_a_bad_option(tmp_path: Path) -> None:
    scenario = write(tmp_path, "scenario.json", minimal_scenario())
    proc = run("solve", scenario, "--time-limit", "0", tmp_path=tmp_path)
    assert proc.returncode == 2
    assert "--time-limit" in proc.stderr
    assert proc.stdout == ""
    nowhere = run("solve", scenario, "-o", tmp_path / "missing" / "plan.json", tmp_path=tmp_path)
    assert nowhere.returncode == 2
    assert "its folder does not exist" in nowhere.stderr


def test_solve_exits_3_with_the_conflicts_when_infeasible(tmp_path: Path) -> None:
    # One volunteer fixed to two sessions at the same time.
    doc = minimal_scenario(sessions=[session("s1"), session("s2", place=None)],
                           fixed=[assignment("v1", "s1"), assignment("v1", "s2")])
    proc = run("solve", write(tmp_path, "scenario.json", doc), *SOLVE_FAST, tmp_path=tmp_path)
    assert proc.returncode == 3
    result = json.loads(proc.stdout)
    assert result["status"] == "infeasible"
    assert result["conflicts"]
    for conflict in result["conflicts"]:
        assert conflict in proc.stderr


def test_validate_exits_2_on_unreadable_input(tmp_path: Path) -> None:
    scenario = write(tmp_path, "scenario.json", minimal_scenario())
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    missing = run("validate", scenario, tmp_path / "missing.json", tmp_path=tmp_path)
    assert missing.returncode == 2 and "cannot read result" in missing.stderr, missing.stderr
    invalid = run("validate", scenario, broken, tmp_path=tmp_path)
    assert invalid.returncode == 2 and "is not valid JSON" in invalid.stderr, invalid.stderr
    bad_scenario = write(tmp_path, "bad.json", minimal_scenario(timezone="Mars/Olympus"))
    rejected = run("validate", bad_scenario, scenario, tmp_path=tmp_path)
    assert rejected.returncode == 2 and "timezone" in rejected.stderr, rejected.stderr
    for proc in (missing, invalid, rejected):
        assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_validate_reports_a_result_that_is_not_an_object(tmp_path: Path) -> None:
    scenario = write(tmp_path, "scenario.json", minimal_scenario())
    proc = run("validate", scenario, write(tmp_path, "list.json", []), tmp_path=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "result: not a JSON object" in proc.stdout
