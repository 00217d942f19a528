"""A bounded CPU hog: `threads` busy processes that stop by themselves.

Makes the machine "twice as slow" for a benchmark (two more busy cores'
worth of work beside a 2-worker solve on 2 cores). Each busy loop checks the
clock and ends after `seconds`, so a benchmark that dies leaves nothing
running for long.

    python -m bench.hog [--threads 2] [--seconds 60]
"""

from __future__ import annotations

import argparse
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    x = 0
    while time.monotonic() < end:
        for _ in range(10_000):
            x = (x * 1103515245 + 12345) & 0x7FFFFFFF


def start_hog(threads: int, seconds: float) -> subprocess.Popen[bytes]:
    """Starts the hog in its own process group; it ends after `seconds`."""
    return subprocess.Popen(
        [sys.executable, "-m", "bench.hog", "--threads", str(threads), "--seconds", str(seconds)],
        cwd=REPO_ROOT, start_new_session=True,
    )


def stop_hog(process: subprocess.Popen[bytes]) -> None:
    """Ends the hog started by `start_hog` (and its busy loops) now."""
    import os
    import signal

    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hog", description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    loops = [
        multiprocessing.Process(target=_busy, args=(args.seconds,), daemon=True)
        for _ in range(args.threads)
    ]
    for loop in loops:
        loop.start()
    for loop in loops:
        loop.join()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
