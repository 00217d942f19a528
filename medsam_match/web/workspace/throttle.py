"""The limit on failed staff sign-ins: per client address and per e-mail
address (MEDSAM_FAILED_LOGINS_PER_MINUTE, as for tokens), on the service's
Flask-Limiter storage (`ratelimit.FailureLimit`). Past the limit every
attempt is refused until the window ends, right password or not, so
guessing stays slow; the answer is the same whether the e-mail belongs to
someone or not.
"""

from __future__ import annotations

import hashlib

from ...ratelimit import FailureLimit, client_address

_failures = FailureLimit("staff-signin")


def _keys(email: str) -> tuple[str, str]:
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:32]
    return client_address(), "e:" + digest


def seconds_blocked(email: str) -> int:
    """Seconds before this address (or this e-mail) may try again; 0: now."""
    return max(_failures.blocked_for(key) for key in _keys(email))


def count_failure(email: str) -> None:
    for key in _keys(email):
        _failures.fail(key)
