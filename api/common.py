"""Pieces every resource uses: strict schemas, times with offsets, pagination."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import flask_smorest
from flask_smorest.pagination import PaginationParameters
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validates_schema
from sqlalchemy import Select, func, select

from medsam_match.extensions import db

# api.md: ?page=1&page_size=50 (max 500). Set on the class so that a plain
# `@blp.paginate()` of every resource gets these defaults.
flask_smorest.Blueprint.DEFAULT_PAGINATION_PARAMETERS = {
    "page": 1,
    "page_size": 50,
    "max_page_size": 500,
}

OFFSET_MESSAGE = "time needs a UTC offset, e.g. 2026-12-08T17:00:00+01:00"


class StrictSchema(Schema):
    """Unknown fields are errors that name the field."""

    class Meta:
        unknown = RAISE


def paginate(select_stmt: Select[Any], pagination_parameters: PaginationParameters) -> list[Any]:
    """The rows of the requested page; sets the total for the X-Pagination header.

    Give `select_stmt` an ORDER BY so that pages are stable.
    """
    count_stmt = select(func.count()).select_from(select_stmt.order_by(None).subquery())
    pagination_parameters.item_count = db.session.scalar(count_stmt) or 0
    if pagination_parameters.first_item >= pagination_parameters.item_count:
        return []  # past the end (also keeps huge page numbers away from the database)
    page_stmt = select_stmt.limit(pagination_parameters.page_size).offset(
        pagination_parameters.first_item
    )
    return list(db.session.scalars(page_stmt).all())


# --- time zones -----------------------------------------------------------

# The zone nested values (e.g. a place's busy intervals) are shown in, set by
# ZonedNested while it serialises its children.
_display_zone: ContextVar[ZoneInfo | None] = ContextVar("display_zone", default=None)

# How to get from a row to its municipality, tried in this order.
_PARENT_ATTRIBUTES = ("municipality", "centre", "activity", "session", "volunteer")


def tz_for(obj: Any) -> ZoneInfo | None:
    """The time zone of the municipality a row belongs to, if it can be found.

    Follows municipality / centre / activity / session / volunteer links, so
    it works for every model (a Session: activity -> centre -> municipality).
    """
    for _ in range(5):
        if obj is None or isinstance(obj, dict | list | str):
            return None
        zone_name = getattr(obj, "timezone", None)
        if isinstance(zone_name, str):
            try:
                return ZoneInfo(zone_name)
            except (ZoneInfoNotFoundError, ValueError):
                return None
        obj = next(
            (getattr(obj, name) for name in _PARENT_ATTRIBUTES if hasattr(obj, name)), None
        )
    return None


def parse_time(value: Any) -> datetime:
    """An ISO 8601 time with offset, as aware UTC. Raises ValidationError."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                "not an ISO 8601 time, e.g. 2026-12-08T17:00:00+01:00"
            ) from None
    else:
        raise ValidationError("not an ISO 8601 time, e.g. 2026-12-08T17:00:00+01:00")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValidationError(OFFSET_MESSAGE)
    return parsed.astimezone(UTC)


class TimeField(fields.DateTime):
    """ISO 8601 with offset in, aware UTC datetime out of `load`.

    Dumps in the municipality's time zone: the zone of the object being
    dumped (see `tz_for`), else the zone set by an enclosing `ZonedNested`,
    else UTC. Accepts datetimes and ISO strings (times kept in JSON columns).
    """

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        moment = parse_time(value) if isinstance(value, str) else value
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        zone = tz_for(obj) or _display_zone.get() or UTC
        return moment.astimezone(zone).isoformat()

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        return parse_time(value)


class ZonedNested(fields.Nested):
    """A Nested field whose TimeFields show the zone of the enclosing object."""

    def _serialize(self, nested_obj: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        token = _display_zone.set(tz_for(obj) or _display_zone.get())
        try:
            return super()._serialize(nested_obj, attr, obj, **kwargs)
        finally:
            _display_zone.reset(token)


class QuerySchema(Schema):
    """Base for query-string filters (?municipality_id=3). Unknown keys are
    ignored, not errors: page and page_size share the query string."""

    class Meta:
        unknown = EXCLUDE


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    """True for a real IANA zone name such as Europe/Oslo."""
    return name in _zone_names()


# Integer columns are 32-bit in PostgreSQL: larger numbers must be 422, not 500.
MAX_INT = 2**31 - 1


class Text(fields.String):
    """A string PostgreSQL can store: no NUL characters, no lone surrogates."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("must not contain NUL characters")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("must be valid Unicode text") from None
        return text


class IntervalSchema(StrictSchema):
    """{start, end} with offsets, end after start."""

    start = TimeField(required=True)
    end = TimeField(required=True)

    @validates_schema
    def _end_after_start(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "start" in data and "end" in data and data["end"] <= data["start"]:
            raise ValidationError("must be after start", field_name="end")


def validate_time_zone(value: str) -> None:
    if not is_time_zone(value):
        raise ValidationError("not an IANA time zone, e.g. Europe/Oslo")


class WholeNumber(fields.Integer):
    """An integer in a JSON body: 1.5 and "2" are errors, not rounded or parsed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strict", True)
        super().__init__(**kwargs)
