"""The solver child and the solver commands load only the solver: no Flask,
no SQLAlchemy (architecture.md). Each is run for real in a fresh interpreter,
which then reports what it had imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.solver.helpers import minimal_scenario

SERVICE_MODULES = ("flask", "sqlalchemy", "flask_sqlalchemy", "flask_smorest", "werkzeug")

REPORT = """
import json, sys
loaded = sorted(m for m in {modules!r} if m in sys.modules)
print("\\nIMPORTED " + json.dumps({{"code": code, "loaded": loaded}}))
"""


def _run(body: str, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    script = body + REPORT.format(modules=SERVICE_MODULES)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("IMPORTED ")]
    assert lines, proc.stderr[-2000:]
    return json.loads(lines[-1].removeprefix("IMPORTED "))


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(minimal_scenario()), encoding="utf-8")
    return path


def test_the_solver_child_solves_without_flask_or_sqlalchemy(tmp_path: Path, scenario: Path):
    report = _run(f"""
import runpy, sys
sys.argv = ["solve_child", {str(scenario)!r}, {str(tmp_path / 'result.json')!r},
            "--time-limit", "2", "--workers", "1"]
try:
    runpy.run_module("medsam_match.jobs.solve_child", run_name="__main__")
    code = 0
except SystemExit as stop:
    code = stop.code
""", tmp_path)
    assert report == {"code": 0, "loaded": []}
    assert json.loads((tmp_path / "result.json").read_text())["format"] == "medsam-result/1"


@pytest.mark.parametrize("command", ["solve", "validate"])
def test_the_solver_commands_run_without_flask_or_sqlalchemy(tmp_path: Path, scenario: Path,
                                                             command: str):
    result = tmp_path / "result.json"
    if command == "validate":
        subprocess.run([sys.executable, "-m", "medsam_match.jobs.solve_child", str(scenario),
                        str(result), "--time-limit", "2", "--workers", "1"], check=True,
                       timeout=120)
    args = ([command, str(scenario), "-o", str(result), "--time-limit", "2", "--workers", "1"]
            if command == "solve" else [command, str(scenario), str(result)])
    report = _run(f"""
from medsam_match.cli import run
try:
    run({args!r})
    code = 0
except SystemExit as stop:
    code = stop.code
""", tmp_path)
    assert report == {"code": 0, "loaded": []}


def test_the_domain_errors_know_nothing_of_http(tmp_path: Path):
    report = _run("""
import medsam_match.domain_errors as errors
code = 0 if not any(hasattr(kind, "status") for kind in (
    errors.NotFound, errors.Conflict, errors.Invalid, errors.Forbidden, errors.LimitReached)) else 1
""", tmp_path)
    assert report == {"code": 0, "loaded": []}
