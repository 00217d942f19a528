"""Pieces every resource uses: strict schemas, times with offsets, pagination."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import flask_smorest
from flask import request
from flask_smorest.pagination import PaginationParameters
from marshmallow import (
    EXCLUDE,
    RAISE,
    Schema,
    ValidationError,
    fields,
    missing,
    validate,
    validates_schema,
)
from marshmallow.utils import get_value
from sqlalchemy import Select

from medsam_match.models.types import MAX_ID
from medsam_match.services.languages import normalize_code
from medsam_match.services.pages import page_of

# api.md: ?page=1&page_size=50 (max 500). Set on the class so that a plain
# `@blp.paginate()` of every resource gets these defaults.
flask_smorest.Blueprint.DEFAULT_PAGINATION_PARAMETERS = {
    "page": 1,
    "page_size": 50,
    "max_page_size": 500,
}

class StrictSchema(Schema):
    """Unknown fields are errors that name the field."""

    class Meta:
        unknown = RAISE

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        """marshmallow's `utils.get_value`, with its common cases inline: every
        field of every row of a list asks (a page of 50 volunteers, ~1,800
        times). A mapping is read by key, then as an attribute; anything else
        as an attribute; dotted paths ("session.start") step by step."""
        if "." in attr:
            return get_value(obj, attr, default)
        if isinstance(obj, dict):
            try:
                return obj[attr]
            except KeyError:
                return getattr(obj, attr, default)
        if not hasattr(obj, "__getitem__"):
            return getattr(obj, attr, default)
        return get_value(obj, attr, default)

    def _serialize(self, obj: Any, *, many: bool = False) -> Any:
        """marshmallow's `Schema._serialize` with `Field.serialize` inline for
        fields that keep marshmallow's own `serialize` and `get_value` (all of
        ours): the same value, default and leaving-out of missing values, two
        calls fewer per field and row. Other fields go through their own
        `serialize`."""
        if many and obj is not None:
            return [self._serialize(item) for item in obj]
        result = self.dict_class()
        for attr_name, key, field_obj, plain in self._dump_plan():
            if not plain:
                value = field_obj.serialize(attr_name, obj, accessor=self.get_attribute)
            else:
                value = self.get_attribute(
                    obj, attr_name if field_obj.attribute is None else field_obj.attribute,
                    missing,
                )
                if value is missing:
                    default = field_obj.dump_default
                    value = default() if callable(default) else default
                if value is not missing:
                    value = field_obj._serialize(value, attr_name, obj)
            if value is missing:
                continue
            result[key] = value
        return result

    def _dump_plan(self) -> list[tuple[str, str, fields.Field, bool]]:
        """Per schema instance (its dump fields are fixed once it is made):
        each field's name, output key, field and whether it is plain."""
        plan: list[tuple[str, str, fields.Field, bool]] | None = self.__dict__.get("_medsam_dump_plan")
        if plan is None:
            plan = [
                (name, field.data_key if field.data_key is not None else name, field,
                 field._CHECK_ATTRIBUTE
                 and type(field).serialize is fields.Field.serialize
                 and type(field).get_value is fields.Field.get_value)
                for name, field in self.dump_fields.items()
            ]
            self.__dict__["_medsam_dump_plan"] = plan
        return plan


def paginate(select_stmt: Select[Any], pagination_parameters: PaginationParameters) -> list[Any]:
    """The rows of the requested page; sets the total for the X-Pagination header.

    Give `select_stmt` an ORDER BY so that pages are stable.
    """
    page = page_of(select_stmt, pagination_parameters.first_item,
                   pagination_parameters.page_size)
    pagination_parameters.item_count = page.total
    return page.items


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
    Every time field of every row asks, so the way from a mapped class to its
    municipality is worked out once per class (`_route`) and a zone once per
    name (`_zone`).
    """
    for _ in range(5):
        if obj is None or isinstance(obj, dict | list | str):
            return None
        cls = type(obj)
        if hasattr(cls, "__mapper__"):
            has_zone, parent = _route(cls)
        else:  # not a mapped class: look at the object itself
            has_zone, parent = True, None
        zone_name = getattr(obj, "timezone", None) if has_zone else None
        if isinstance(zone_name, str):
            return _zone(zone_name)
        if parent is None:
            obj = next(
                (getattr(obj, name) for name in _PARENT_ATTRIBUTES if hasattr(obj, name)), None
            )
        else:
            obj = getattr(obj, parent) if parent else None
    return None


@cache
def _route(cls: type) -> tuple[bool, str]:
    """For a mapped class: whether its rows carry a zone name, and the first
    parent link it has ("" for none)."""
    parent = next((name for name in _PARENT_ATTRIBUTES if hasattr(cls, name)), "")
    return hasattr(cls, "timezone"), parent


@lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@cache
def _zone_names() -> frozenset[str]:
    # The host's zoneinfo folder also holds "localtime" (the machine's own
    # zone, whatever it is), "posixrules" and "Factory": not places.
    return frozenset(available_timezones()) - NOT_TIME_ZONES


NOT_TIME_ZONES = frozenset({"localtime", "posixrules", "Factory"})


def is_time_zone(name: str) -> bool:
    """True for a real IANA zone name such as Europe/Oslo."""
    return name in _zone_names() and not name.startswith(("posix/", "right/"))


def validate_time_zone(value: str) -> None:
    if not is_time_zone(value):
        raise ValidationError("not an IANA time zone, e.g. Europe/Oslo")


# --- the shared field types -------------------------------------------------
#
# Every resource's schemas use these, so that every resource refuses the same
# bad input with the same message: "yes" is not a boolean, "2" not a number,
# a tab not part of a name, year 1051 not a time anyone plans.

# Ids are 32-bit integers in PostgreSQL: a larger number cannot name anything
# (and must be 422, not 500).
MAX_INT = MAX_ID
ID_RANGE = validate.Range(min=1, max=MAX_INT, error="no such id")

# Times are accepted (and so stored) only within these years: older dates
# have local-mean-time offsets such as +00:50:20 that RFC 3339 cannot write.
FIRST_YEAR = 1900
LAST_YEAR = 2200
_TIME_EXAMPLE = "e.g. 2026-12-08T17:00:00+01:00"


class Text(fields.String):
    """One line of text: no control characters (tab, line break, NUL, ...),
    no lone surrogates. A tab or line break in a name or a tag is a mistake."""

    allowed_controls: frozenset[str] = frozenset()

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("must not contain NUL characters")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("must be valid Unicode text") from None
        if any(
            (ord(char) < 32 or ord(char) == 127) and char not in self.allowed_controls
            for char in text
        ):
            raise ValidationError("must not contain control characters")
        return text


class MultilineText(Text):
    """Text that may span lines (descriptions, addresses, reasons): line
    breaks and tabs are allowed, other control characters are not."""

    allowed_controls = frozenset("\n\r\t")


class LanguageCode(fields.String):
    """A spoken language as an ISO 639-1 code ("ar", "uk", "no"); any case in,
    lower case stored. "norsk" or "arabic" is an error that names the value."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        code = normalize_code(text)
        if code is None:
            raise ValidationError(
                f"{text[:40]!r} is not an ISO 639-1 language code; give two letters, "
                'e.g. "ar" for Arabic, "no" for Norwegian, "uk" for Ukrainian'
            )
        return code


class StrictBoolean(fields.Boolean):
    """A JSON true or false; 1, "yes" and "true" are type errors."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class StrictFloat(fields.Float):
    """A JSON number: "12.5" as a string and true are type errors."""

    def _validated(self, value: Any) -> float:
        if isinstance(value, str | bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class WholeNumber(fields.Integer):
    """An integer in a JSON body: 1.5 and "2" are errors, not rounded or parsed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strict", True)
        super().__init__(**kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Id(WholeNumber):
    """The id of a row named in a body: a whole number 1 .. 2^31-1."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", ID_RANGE)
        super().__init__(**kwargs)


class QueryId(fields.Integer):
    """An id in the query string (text there, so not strict), bounded as Id."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", ID_RANGE)
        super().__init__(**kwargs)


class IsoDate(fields.Date):
    """A calendar date, YYYY-MM-DD; also dumps the strings kept in JSON columns."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str):
            raise self.make_error("invalid", input=value)
        day = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(f"the year must lie between {FIRST_YEAR} and {LAST_YEAR}")
        return day

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


OFFSET_MESSAGE = f"time needs a UTC offset, {_TIME_EXAMPLE}"


def parse_time(value: Any) -> datetime:
    """An ISO 8601 time with offset, as aware UTC. Raises ValidationError."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(f"not an ISO 8601 time, {_TIME_EXAMPLE}") from None
    else:
        raise ValidationError(f"not an ISO 8601 time, {_TIME_EXAMPLE}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValidationError(OFFSET_MESSAGE)
    try:
        moment = parsed.astimezone(UTC)
    except OverflowError:
        raise ValidationError(
            f"the year must lie between {FIRST_YEAR} and {LAST_YEAR}"
        ) from None
    return moment


def rfc3339(moment: datetime, zone: ZoneInfo | None) -> str:
    """The instant in `zone` (else UTC) as RFC 3339. An offset RFC 3339 cannot
    write (seconds, as local mean time before 1900 has) is shown in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        local = moment.astimezone(zone or UTC)
    except OverflowError:
        local = moment.astimezone(UTC)
    offset = local.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        local = moment.astimezone(UTC)
    return local.isoformat()


class TimeField(fields.DateTime):
    """ISO 8601 with offset, years 1900-2200, in; aware UTC datetime out of `load`.

    Dumps in the municipality's time zone: the zone of the object being
    dumped (see `tz_for`), else the zone set by an enclosing `ZonedNested`,
    else UTC. Accepts datetimes and ISO strings (times kept in JSON columns).
    """

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        moment = parse_time(value) if isinstance(value, str) else value
        return rfc3339(moment, tz_for(obj) or _display_zone.get())

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        moment = parse_time(value)
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            raise ValidationError(f"the year must lie between {FIRST_YEAR} and {LAST_YEAR}")
        return moment


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


# --- checks across fields ---------------------------------------------------


def check_end_after_start(
    data: dict[str, Any],
    start: str = "start",
    end: str = "end",
    *,
    names: tuple[str, str] | None = None,
) -> None:
    """The one "end after start" check: a ValidationError naming the end field
    when both are given and the end is not later than the start. `names` are
    the fields' names in the body when they differ from the keys of `data`."""
    start_name, end_name = names or (start, end)
    if data.get(start) is not None and data.get(end) is not None and data[end] <= data[start]:
        raise ValidationError(f"{end_name} must be after {start_name}", end_name)


class IntervalSchema(StrictSchema):
    """{start, end} with offsets, end after start."""

    start = TimeField(required=True)
    end = TimeField(required=True)

    @validates_schema
    def _end_after_start(self, data: dict[str, Any], **kwargs: Any) -> None:
        check_end_after_start(data)


def body_fields(schema: type[Schema]) -> tuple[str, ...]:
    """The fields a body may carry: for `partial=` of a PATCH schema, so that
    any may be left out but nested objects stay whole."""
    return tuple(
        name for name, field in schema._declared_fields.items() if not field.dump_only
    )


# --- optimistic concurrency: ETag and If-Match -------------------------------
#
# Every editable row has a version (models.versioning). Answers about one row
# carry it as a strong ETag; PATCH, PUT and DELETE take If-Match and answer
# 412 when the row has changed since (services.concurrency). Without If-Match
# a write still goes ahead (last one wins), so older clients keep working.
# docs/concurrency.md says more.

ETAG_HEADER = {
    "ETag": {
        "description": "The version of the row; send it back in If-Match to change the row "
        "only if nobody changed it since.",
        "schema": {"type": "string", "example": '"3"'},
    }
}
_IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": "The ETag you read. Given: the change is made only if the row is still "
    "that version, else 412 Precondition Failed. Left out: the change is made whatever "
    "the version (last write wins).",
    "schema": {"type": "string", "example": '"3"'},
}


def etag(row: Any) -> str:
    """The strong ETag of a versioned row: its version, quoted."""
    return f'"{row.version}"'


def with_etag(row: Any, status: int = 200) -> tuple[Any, int, dict[str, str]]:
    """A view's answer for one row, with its ETag header."""
    return row, status, {"ETag": etag(row)}


def if_match_versions() -> frozenset[int] | None:
    """The versions the request's If-Match accepts; None for none given or `*`.

    Weak and unknown tags can never match (RFC 9110 compares strongly), so an
    If-Match of only those gives an empty set: the write answers 412.
    """
    if "If-Match" not in request.headers:
        return None
    tags = request.if_match
    if tags.star_tag:
        return None
    return frozenset(int(tag) for tag in tags.as_set() if tag.isdigit() and len(tag) < 10)


def conditional(blp: flask_smorest.Blueprint) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Documents a write that takes If-Match and may answer 412."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view = blp.alt_response(
            412,
            response="PRECONDITION_FAILED",
            description="If-Match names a version the row no longer has",
        )(view)
        return blp.doc(parameters=[_IF_MATCH_PARAMETER])(view)

    return decorate
