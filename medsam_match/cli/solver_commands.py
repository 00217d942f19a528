"""`medsam-match solve` and `medsam-match validate`: the solver on files.

Neither command creates the Flask app nor touches a database: they are plain
click commands on `solver_cli`, a click group of their own that imports only
click and the solver (the console script sends `solve` and `validate` there),
and `cli/service.py` adds them to the service's group for its `--help`.

Exit status: 0 a plan (or a valid one), 1 violations found / the solver failed,
2 bad input (unreadable file, invalid JSON, a scenario that breaks the format;
each problem on stderr), 3 infeasible (the conflicts on stderr).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

EXIT_PLAN = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3


class _BadInput(Exception):
    """An input file that cannot be used; the message says why."""


def _read_json(path: str, what: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _BadInput(f"cannot read {what} {path}: {reason}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _BadInput(f"{what} {path} is not valid JSON: line {exc.lineno} column {exc.colno}: "
                        f"{exc.msg}") from None


def _fail(message: str, lines: Sequence[str] = (), code: int = EXIT_BAD_INPUT) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    for line in lines:
        click.echo(f"  {line}", err=True)
    sys.exit(code)


def _count(n: Any, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _number(value: Any, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _show_progress(event: dict[str, Any]) -> None:
    gap = event.get("gap")
    click.echo(
        f"{_number(event.get('seconds'), '7.2f')} s  score {_number(event.get('score'), '.10g')}"
        f"  bound {_number(event.get('bound'), '.10g')}"
        f"  gap {'-' if gap is None else format(gap, '.4%')}",
        err=True,
    )


def _summary(result: dict[str, Any]) -> str:
    kpis = result.get("kpis") or {}
    seconds = (result.get("solver") or {}).get("seconds")
    parts = [f"status {result.get('status')}", f"score {_number(result.get('score'), '.10g')}",
             f"bound {_number(result.get('bound'), '.10g')}"]
    if "assignments" in kpis:  # a plan's KPIs
        parts.append(_count(kpis.get("assignments"), "assignment"))
        parts.append(f"fill rate {_number(kpis.get('fill_rate'), '.1%')}")
        parts.append(f"{len(result.get('unfilled') or [])} unfilled")
    if seconds is not None:
        parts.append(f"{seconds:.2f} s")
    return ", ".join(parts)


def _write_result(result: dict[str, Any], output: str | None) -> None:
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}", code=EXIT_FAILED)


@click.command("solve")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the result here instead of to stdout.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=10.0,
              show_default=True, help="Seconds for the whole call, parsing included.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Solver threads [default: the machine's cores].")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Random seed: the same seed and workers repeat a run.")
def solve_command(scenario: str, output: str | None, time_limit: float, workers: int | None,
                  seed: int) -> None:
    """Plan SCENARIO.json (medsam-scenario/1) and print the medsam-result/1.

    Progress goes to stderr, a line per better plan: time, score, bound, gap.
    Exit 0 a plan, 2 bad input (each problem on stderr, nothing written),
    3 infeasible (the conflicts on stderr), 1 the solver failed.
    """
    import solver

    if output is not None and not Path(output).resolve().parent.is_dir():
        _fail(f"cannot write {output}: its folder does not exist")
    try:
        doc = _read_json(scenario, "scenario")
    except _BadInput as exc:
        _fail(str(exc))
    try:
        result = solver.solve(doc, time_limit=time_limit, workers=workers, seed=seed,
                              progress=_show_progress)
    except solver.ScenarioError as exc:
        _fail(f"{scenario} is not a valid medsam-scenario/1 "
              f"({_count(len(exc.problems), 'problem')}):", exc.problems)
    status = result.get("status")
    click.echo(_summary(result), err=True)
    if status == "infeasible":
        _write_result(result, output)
        _fail("no plan satisfies the hard rules:", [str(c) for c in result.get("conflicts") or []],
              code=EXIT_INFEASIBLE)
    if status not in ("optimal", "feasible"):
        _write_result(result, output)
        _fail(f"the solver ended with status {status!r}: {result.get('message', 'no plan')}",
              code=EXIT_FAILED)
    _write_result(result, output)


@click.command("validate")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("result", type=click.Path(dir_okay=False))
def validate_command(scenario: str, result: str) -> None:
    """Check that RESULT.json is a feasible plan for SCENARIO.json with the
    right score and KPIs, independently of the solver that made it.

    Prints "OK: ..." (exit 0) or each violation (exit 1); exit 2 when a file
    cannot be read or the scenario breaks the format.
    """
    import solver
    from solver.parse import parse_scenario

    try:
        doc = _read_json(scenario, "scenario")
        answer = _read_json(result, "result")
    except _BadInput as exc:
        _fail(str(exc))
    try:
        parse_scenario(doc)  # the validator assumes a well-formed scenario
    except solver.ScenarioError as exc:
        _fail(f"{scenario} is not a valid medsam-scenario/1 "
              f"({_count(len(exc.problems), 'problem')}):", exc.problems)
    violations = solver.validate(doc, answer)
    if violations:
        click.echo(f"{_count(len(violations), 'violation')} of {scenario} in {result}:")
        for line in violations:
            click.echo(f"  {line}")
        sys.exit(EXIT_FAILED)
    kpis = answer.get("kpis") or {}
    click.echo(f"OK: {result} is a feasible plan for {scenario}: score {answer.get('score')!r}, "
               f"{_count(kpis.get('sessions_scheduled'), 'session')} scheduled, "
               f"{_count(kpis.get('assignments'), 'assignment')}, "
               f"fill rate {kpis.get('fill_rate'):.1%}")


@click.group()
def solver_cli() -> None:
    """medsam-match: plans volunteer work for volunteer centres."""


solver_cli.add_command(solve_command)
solver_cli.add_command(validate_command)
