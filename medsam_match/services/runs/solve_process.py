"""Runs one solve in a child process, with limits enforced from outside.

The child gets the run's time limit; if it has not finished by the time limit
plus a grace period (start-up, model building, writing the result) it is
killed. Its address space is capped (`memory_limit_mb`), so a blow-up ends the
child with an error instead of starving the service.

The scenario holds personal data (names, homes, availability), so it never
touches the disk: it goes to the child on its stdin and the result comes back
as the last line on its stdout. The child dies with its parent (Linux's
parent-death signal), so a killed worker leaves neither files nor an orphaned
solver behind.
"""

from __future__ import annotations

import ctypes
import json
import resource
import signal
import subprocess
import sys
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


_PR_SET_PDEATHSIG = 1


def _child_setup(megabytes: int | None) -> Callable[[], None]:
    """Runs in the child before it starts Python: the memory cap, and a
    SIGKILL when the parent dies."""

    def apply() -> None:
        if megabytes:
            limit = megabytes * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # not Linux: the closed pipe ends the child
            pass

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
    command = [
        sys.executable, "-m", "medsam_match.jobs.solve_child",
        "--time-limit", str(limits.time_limit), "--seed", str(limits.seed),
    ]
    if limits.workers:
        command += ["--workers", str(limits.workers)]
    child = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_child_setup(limits.memory_limit_mb),
    )
    if on_start is not None:
        on_start(child.pid)
    problems: list[str] = []
    results: list[dict[str, Any]] = []
    stderr_lines: list[str] = []

    def write_stdin() -> None:
        assert child.stdin is not None
        try:
            json.dump(scenario, child.stdin)
            child.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the child died early; its exit code says why

    def read_stdout() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            if "progress" in message and on_progress is not None:
                on_progress(message["progress"])
            elif "problems" in message:
                problems.extend(message["problems"])
            elif "result" in message:
                results.append(message["result"])

    def read_stderr() -> None:
        assert child.stderr is not None
        for line in child.stderr:
            stderr_lines.append(line.rstrip())
            del stderr_lines[:-20]

    threads = [threading.Thread(target=write_stdin, daemon=True),
               threading.Thread(target=read_stdout, daemon=True),
               threading.Thread(target=read_stderr, daemon=True)]
    for thread in threads:
        thread.start()
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
    finally:
        if child.poll() is None:  # the parent is being interrupted: never leave it running
            child.kill()
            child.wait()
    for thread in threads:
        thread.join(timeout=5)
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
    if not results:
        raise SolverProcessError("the solver wrote no readable result")
    return results[-1]


def _looks_like_memory(lines: list[str]) -> bool:
    text = " ".join(lines).lower()
    return "memoryerror" in text or "bad_alloc" in text or "cannot allocate" in text
