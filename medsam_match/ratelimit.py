"""Too many requests: a per-caller limit on the API, answered 429.

Each process counts requests per caller (the bearer token's hash, or the
client address without one) in fixed one-minute windows. Failed logins count
separately and much lower, so guessing tokens is slow. Counting in memory
per process is deliberate: it needs no extra service, and with N processes
the effective limit is at most N times the setting, which is still a bound.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable

from flask import Flask, Response, g, request

from .errors import problem

WINDOW_SECONDS = 60


class FixedWindowCounter:
    """Counts hits per key in the current one-minute window."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._window = -1
        self._hits: dict[str, int] = {}

    def hit(self, key: str) -> tuple[int, float]:
        """Count one hit; returns (hits in this window, seconds until it ends)."""
        now = self._clock()
        window = int(now // WINDOW_SECONDS)
        with self._lock:
            if window != self._window:
                self._window, self._hits = window, {}
            self._hits[key] = self._hits.get(key, 0) + 1
            return self._hits[key], WINDOW_SECONDS - (now % WINDOW_SECONDS)

    def count(self, key: str) -> int:
        with self._lock:
            window = int(self._clock() // WINDOW_SECONDS)
            return self._hits.get(key, 0) if window == self._window else 0


def _caller() -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "t:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return "a:" + (request.remote_addr or "unknown")


def _too_many(retry_after: float, what: str) -> Response:
    seconds = max(1, int(retry_after + 0.999))
    return problem(429, f"{what}; try again in {seconds} s",
                   headers={"Retry-After": str(seconds)})


def init_app(app: Flask) -> None:
    requests = FixedWindowCounter()
    failures = FixedWindowCounter()
    app.extensions["medsam_rate_limits"] = (requests, failures)

    def limit() -> Response | None:
        if not request.path.startswith("/api/v1/"):
            return None
        per_minute = int(app.config.get("MEDSAM_RATE_LIMIT_PER_MINUTE", 600))
        if per_minute <= 0:
            return None
        address = "a:" + (request.remote_addr or "unknown")
        failed_limit = int(app.config.get("MEDSAM_FAILED_LOGINS_PER_MINUTE", 20))
        if failed_limit > 0 and failures.count(address) >= failed_limit:
            return _too_many(WINDOW_SECONDS - time.monotonic() % WINDOW_SECONDS,
                             "too many requests with a wrong token from this address")
        hits, retry_after = requests.hit(_caller())
        if hits > per_minute:
            return _too_many(retry_after, f"more than {per_minute} requests a minute")
        g.rate_limit_address = address
        return None

    def count_failed_logins(response: Response) -> Response:
        if response.status_code == 401 and request.path.startswith("/api/v1/"):
            failures.hit(getattr(g, "rate_limit_address", "a:" + (request.remote_addr or "")))
        return response

    # Before authentication, so a flood is refused before any database work.
    app.before_request_funcs.setdefault(None, []).insert(0, limit)
    app.after_request(count_failed_logins)
