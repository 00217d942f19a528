"""The limit on failed staff sign-ins: per client address and per e-mail
address, in one-minute windows (MEDSAM_FAILED_LOGINS_PER_MINUTE, as for
tokens). Past the limit every attempt is refused until the window ends,
right password or not, so guessing stays slow; the answer is the same
whether the e-mail belongs to someone or not.

Counting sits behind two functions (`seconds_blocked`, `count_failure`) so
the counter can move to the shared limiter without touching the views.
"""

from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, current_app, request

from ...ratelimit import WINDOW_SECONDS, FixedWindowCounter

_EXTENSION = "medsam_staff_signin_failures"


def _keys(email: str) -> tuple[str, str]:
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:32]
    return "a:" + (request.remote_addr or "unknown"), "e:" + digest


def _limit() -> int:
    return int(current_app.config.get("MEDSAM_FAILED_LOGINS_PER_MINUTE", 20))


def seconds_blocked(email: str) -> int:
    """Seconds before this address (or this e-mail) may try again; 0: now."""
    limit = _limit()
    counter: FixedWindowCounter = current_app.extensions[_EXTENSION]
    if limit <= 0 or all(counter.count(key) < limit for key in _keys(email)):
        return 0
    return max(1, math.ceil(WINDOW_SECONDS - time.monotonic() % WINDOW_SECONDS))


def count_failure(email: str) -> None:
    counter: FixedWindowCounter = current_app.extensions[_EXTENSION]
    for key in _keys(email):
        counter.hit(key)


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = FixedWindowCounter()
