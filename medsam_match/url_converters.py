"""`<int:...>` in routes: ids fit a 32-bit column, so larger numbers do not
match any route (404) instead of failing in the database."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

from .models.types import MAX_ID


class IdConverter(IntegerConverter):
    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
