"""What went wrong, in the domain's words. No HTTP, no Flask.

Services raise these; the edges translate them: the API and the web pages
map each kind to an HTTP status in `medsam_match.errors`, the command line
prints the detail. Every error has a readable `detail`; `Invalid` also has
`errors`, `{"field.path": ["message", ...]}`.
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    detail = ""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail

    @property
    def errors(self) -> dict[str, list[str]] | None:
        return None


class NotFound(DomainError):
    """Does not exist, or lies outside the caller's scope (never say which)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")
        self.what = what


class Conflict(DomainError):
    """Not allowed in the current state, e.g. deleting something with children,
    or a state change that another request made first. `current` names the
    state the thing is in now, when there is one."""

    def __init__(self, detail: str = "", *, current: str | None = None) -> None:
        super().__init__(detail)
        self.current = current


class Stale(DomainError):
    """The caller changes a thing on the strength of a version of it it read,
    and the thing has changed since (optimistic concurrency, If-Match)."""


class Forbidden(DomainError):
    """The caller sees the thing but may not change it."""


class Invalid(DomainError):
    """Fields that are wrong: {"field.path": ["message", ...]}."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self._errors = {key: list(messages) for key, messages in errors.items()}
        names = ", ".join(sorted(self._errors))
        super().__init__(f"invalid fields: {names}")

    @property
    def errors(self) -> dict[str, list[str]]:
        return self._errors


class LimitReached(DomainError):
    """A configured limit is reached (e.g. queued runs per centre); trying
    again later, when the count is lower, works. `limit` is the number."""

    def __init__(self, detail: str, *, limit: int) -> None:
        super().__init__(detail)
        self.limit = limit
