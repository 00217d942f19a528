"""Tables of benchmark rows: printed for a person, written as CSV for a file."""

from __future__ import annotations

import csv
import os
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def cell(value: Any) -> str:
    """How a value reads in a printed table."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value != 0 and abs(value) < 0.01:
            return f"{value:.2e}"
        return (
            f"{value:,.2f}"
            if abs(value) >= 1000
            else f"{value:.3g}"
            if abs(value) < 1
            else f"{value:.2f}"
        )
    return str(value)


def format_table(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """A plain-text table, also valid Markdown (for bench/README.md)."""
    texts = [[cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(t[i]) for t in texts]) for i, c in enumerate(columns)]
    lines = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    for t in texts:
        lines.append("| " + " | ".join(v.ljust(w) for v, w in zip(t, widths, strict=True)) + " |")
    return "\n".join(lines)


def write_csv(name: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> Path:
    """Writes bench/results/<name>-<UTC time>.csv and returns its path."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"{name}-{stamp}.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
    return path


def machine_note() -> str:
    """One line on where the figures were measured."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, load average {load:.1f} at start"


def timed(call: Callable[[], object], count: int, warm: int = 1) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of `count` calls, after `warm` calls not
    measured (templates, caches). With the app in this process and
    single-threaded, the process's CPU time is the server's."""
    for _ in range(warm):
        call()
    times, cpu = [], []
    for _ in range(count):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return times, cpu


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]


def timing_row(name: str, measured: tuple[list[float], list[float]]) -> dict[str, Any]:
    """A table row of `timed`'s measurements: requests, p50, p95 and max
    wall milliseconds and p95 CPU milliseconds."""
    times, cpu = measured
    return {"request": name, "requests": len(times), "p50 ms": statistics.median(times),
            "p95 ms": p95(times), "max ms": max(times), "p95 cpu ms": p95(cpu)}
