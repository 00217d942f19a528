"""Runs one solve in a child process, with limits enforced from outside.

The child gets the run's time limit; if it has not finished by the time limit
plus a grace period (start-up, model building, writing the result) it is
killed. Its address space is capped (`memory_limit_mb`), so a blow-up ends the
child with an error instead of starving the service.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

GRACE_SECONDS = 30.0


class SolverProcessError(RuntimeError):
    """The solve did not produce a result; the message says why, in words."""


@dataclass(frozen=True)
class SolveLimits:
    time_limit: float
    workers: int | None = None
    seed: int = 0
    memory_limit_mb: int | None = 8192
    grace_seconds: float = GRACE_SECONDS


def _limit_memory(megabytes: int | None) -> Callable[[], None] | None:
    if not megabytes:
        return None

    def apply() -> None:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def solve_in_child(
    scenario: dict[str, Any],
    limits: SolveLimits,
    *,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Solve `scenario` in a fresh Python process and return its result.

    Raises SolverProcessError when the child is killed, crashes, runs out of
    memory or time, or rejects the scenario."""
    with tempfile.TemporaryDirectory(prefix="medsam-run-") as folder:
        scenario_path = os.path.join(folder, "scenario.json")
        result_path = os.path.join(folder, "result.json")
        with open(scenario_path, "w", encoding="utf-8") as handle:
            json.dump(scenario, handle)
        command = [
            sys.executable, "-m", "medsam_match.jobs.solve_child", scenario_path, result_path,
            "--time-limit", str(limits.time_limit), "--seed", str(limits.seed),
        ]
        if limits.workers:
            command += ["--workers", str(limits.workers)]
        child = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_limit_memory(limits.memory_limit_mb),
        )
        if on_start is not None:
            on_start(child.pid)
        problems: list[str] = []
        stderr_lines: list[str] = []

        def read_stdout() -> None:
            assert child.stdout is not None
            for line in child.stdout:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if "progress" in message and on_progress is not None:
                    on_progress(message["progress"])
                elif "problems" in message:
                    problems.extend(message["problems"])

        def read_stderr() -> None:
            assert child.stderr is not None
            for line in child.stderr:
                stderr_lines.append(line.rstrip())
                del stderr_lines[:-20]

        readers = [threading.Thread(target=read_stdout, daemon=True),
                   threading.Thread(target=read_stderr, daemon=True)]
        for reader in readers:
            reader.start()
        deadline = limits.time_limit + limits.grace_seconds
        started = time.monotonic()
        try:
            code = child.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            raise SolverProcessError(
                f"the solver did not finish within {deadline:.0f} s "
                f"(time limit {limits.time_limit:.0f} s plus {limits.grace_seconds:.0f} s grace) "
                "and was stopped"
            ) from None
        for reader in readers:
            reader.join(timeout=5)
        elapsed = time.monotonic() - started
        if code == 2 and problems:
            raise SolverProcessError(
                "the scenario built from the database was rejected: " + "; ".join(problems[:10])
            )
        if code < 0:
            raise SolverProcessError(
                f"the solver process was stopped by signal {-code} after {elapsed:.1f} s"
                + (" (out of memory?)" if _looks_like_memory(stderr_lines) else "")
            )
        if code != 0:
            tail = " | ".join(stderr_lines[-3:])
            hint = " (out of memory)" if _looks_like_memory(stderr_lines) else ""
            raise SolverProcessError(f"the solver process failed with exit code {code}{hint}: {tail}")
        try:
            with open(result_path, encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError) as error:
            raise SolverProcessError(f"the solver wrote no readable result: {error}") from None


def _looks_like_memory(lines: list[str]) -> bool:
    text = " ".join(lines).lower()
    return "memoryerror" in text or "bad_alloc" in text or "cannot allocate" in text
