"""Too many requests: the service's rate limits, on Flask-Limiter.

`limiter` is the one Flask-Limiter object of the service. Two kinds of limit
use it:

* A per-caller limit on the API (`MEDSAM_RATE_LIMIT_PER_MINUTE` requests a
  minute per bearer token, or per client address for requests without one),
  checked before authentication, so a flood is refused before any database
  work. `/api/v1/health` is exempt: a load balancer's checks must not be
  refused because of other callers.
* `FailureLimit`: a low limit on failed credentials per client address
  (`MEDSAM_FAILED_LOGINS_PER_MINUTE`). Only failures count and only failures
  are refused: a valid credential is never refused because others from the
  same address failed. `api_token_failures` serves the API's bearer tokens,
  `web.signin` the volunteers' page; a sign-in form builds its own, e.g.
  ``FailureLimit("staff-signin")``.

Over a limit the answer is 429 with Retry-After. Counters live in the storage
named by `MEDSAM_RATELIMIT_STORAGE_URL`: `redis://host:6379/0` shares the
counters between processes and machines; `memory://` counts per process, so
with N processes a limit is at most N times the setting. Unset, it is the
broker (`MEDSAM_BROKER_URL`) when that is Redis, else memory.
`MEDSAM_RATE_LIMIT_PER_MINUTE = 0` turns every API limit off.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from flask import Flask, Response, current_app, request
from flask_limiter import Limit, Limiter, RateLimitExceeded, RequestLimit
from limits import RateLimitItem, RateLimitItemPerMinute

from .errors import problem

API_PREFIX = "/api/v1/"
EXEMPT_PATHS = ("/api/v1/health",)
PER_MINUTE_SETTING = "MEDSAM_RATE_LIMIT_PER_MINUTE"
FAILURES_SETTING = "MEDSAM_FAILED_LOGINS_PER_MINUTE"
STORAGE_SETTING = "MEDSAM_RATELIMIT_STORAGE_URL"
# Keys in a shared store start with this, apart from other applications'.
KEY_PREFIX = "medsam"

log = logging.getLogger(__name__)


def client_address() -> str:
    """The caller's address (the proxy's, unless `MEDSAM_PROXY_HOPS` trusts it)."""
    return "a:" + (request.remote_addr or "unknown")


def caller_key() -> str:
    """Who a request counts for: its bearer token (hashed), else its address."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer " and header[7:].strip():
        return "t:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return client_address()


def _per_minute() -> int:
    return int(current_app.config.get(PER_MINUTE_SETTING, 600))


def _not_limited() -> bool:
    path = request.path
    if not path.startswith(API_PREFIX) or _per_minute() <= 0:
        return True
    return any(path == exempt or path.startswith(exempt + "/") for exempt in EXEMPT_PATHS)


def _seconds_until(reset_at: float) -> int:
    return max(1, math.ceil(reset_at - time.time()))


def too_many(seconds: int, detail: str) -> Response:
    """The API's 429 answer (problem+json) with Retry-After."""
    return problem(429, f"{detail}; try again in {seconds} s",
                   headers={"Retry-After": str(seconds)})


def _per_caller_breached(limit: RequestLimit) -> Response:
    return too_many(_seconds_until(limit.window.reset_time),
                    f"more than {limit.limit.amount} requests a minute")


limiter = Limiter(
    key_func=caller_key,
    default_limits=[
        Limit(
            lambda: f"{max(_per_minute(), 1)}/minute",
            key_function=caller_key,
            scope="api",
            shared=True,  # one count per caller across every API route
            exempt_when=_not_limited,
            on_breach=_per_caller_breached,
        )
    ],
    strategy="fixed-window",
    # A limit store that cannot be reached must not take the API down.
    swallow_errors=True,
    in_memory_fallback_enabled=True,
)


class FailureLimit:
    """A low limit on failed credentials of one kind, per client address.

    Ask `blocked_for()` before checking a guessable secret (a password),
    and call `fail()` after each failure: it counts the failure and says how
    long this address must wait when it was one too many. For long random
    tokens, which cannot be guessed, check the token first and call `fail()`
    only for a wrong one, so a valid token always gets in.
    """

    def __init__(self, name: str, *, setting: str = FAILURES_SETTING,
                 off_with_rate_limit: bool = False) -> None:
        self.name = name
        self.setting = setting
        self.off_with_rate_limit = off_with_rate_limit

    def _item(self) -> RateLimitItem | None:
        per_minute = int(current_app.config.get(self.setting, 20))
        if per_minute <= 0 or (self.off_with_rate_limit and _per_minute() <= 0):
            return None
        return RateLimitItemPerMinute(per_minute)

    def _seconds_left(self, item: RateLimitItem, key: str) -> int:
        stats = limiter.limiter.get_window_stats(item, KEY_PREFIX, self.name, key)
        return _seconds_until(stats.reset_time)

    def fail(self, key: str | None = None) -> int:
        """Count one failure; 0 while within the limit, else seconds to wait."""
        item = self._item()
        if item is None:
            return 0
        key = key or client_address()
        try:
            if limiter.limiter.hit(item, KEY_PREFIX, self.name, key):
                return 0
            return self._seconds_left(item, key)
        except Exception:  # the limit store is unreachable: let the request through
            log.warning("rate limit %s: the limit storage cannot be reached", self.name,
                        exc_info=True)
            return 0

    def blocked_for(self, key: str | None = None) -> int:
        """Seconds this address must wait before trying again (0: it may try)."""
        item = self._item()
        if item is None:
            return 0
        key = key or client_address()
        try:
            if limiter.limiter.test(item, KEY_PREFIX, self.name, key):
                return 0
            return self._seconds_left(item, key)
        except Exception:  # the limit store is unreachable: let the request through
            log.warning("rate limit %s: the limit storage cannot be reached", self.name,
                        exc_info=True)
            return 0


#: Wrong bearer tokens on the API (turned off with the API limit, too).
api_token_failures = FailureLimit("api-token", off_with_rate_limit=True)


def _rate_limited(error: RateLimitExceeded) -> Response:
    if error.response is not None:
        return error.response
    return too_many(60, str(error.description or "too many requests"))


def init_app(app: Flask) -> None:
    from .config import ratelimit_storage

    app.config.setdefault("RATELIMIT_STORAGE_URI", ratelimit_storage({
        "ratelimit_storage_url": app.config.get(STORAGE_SETTING),
        "broker_url": app.config.get("MEDSAM_BROKER_URL"),
    }))
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", KEY_PREFIX)
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _rate_limited)
    # Before every other hook (authentication included): a flood is refused
    # before it reaches the database.
    hooks = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit  # bound methods compare equal
    if check in hooks:
        hooks.remove(check)
        hooks.insert(0, check)

