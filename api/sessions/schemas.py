"""Session bodies, filters and responses, and the `sessions:generate` body."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from api.common import (
    Id,
    QueryId,
    QuerySchema,
    StrictBoolean,
    StrictFloat,
    StrictSchema,
    Text,
    TimeField,
    WholeNumber,
    ZonedNested,
    check_end_after_start,
)
from medsam_match.models import SESSION_STATUSES

_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_PENALTY = validate.Range(min=0, max=1_000_000)
# Session times far outside any plan are typing mistakes (and year 9999 cannot
# be shown in a local zone).
_PLAUSIBLE = validate.Range(
    min=datetime(2000, 1, 1, tzinfo=UTC),
    max=datetime(2200, 1, 1, tzinfo=UTC),
    error="must lie between the years 2000 and 2200",
)


class ClockTimeField(fields.Field):
    """A local wall-clock time "HH:MM" (00:00..23:59)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.strftime("%H:%M")

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> time:
        match = _CLOCK.match(value) if isinstance(value, str) else None
        if match is None:
            raise ValidationError('not a time of day "HH:MM", e.g. "17:00"')
        return time(int(match.group(1)), int(match.group(2)))


class SessionOptionSchema(StrictSchema):
    """One way to hold an open session: a time and (usually) a place."""

    start = TimeField(required=True, validate=_PLAUSIBLE)
    end = TimeField(required=True, validate=_PLAUSIBLE)
    place_id = Id(load_default=None, allow_none=True)
    penalty = StrictFloat(load_default=0.0, validate=_PENALTY)

    @validates_schema
    def _times(self, data: dict[str, Any], **_: Any) -> None:
        check_end_after_start(data)


class SessionSchema(StrictSchema):
    """A session as created (POST) and returned.

    Fixed: `start`, `end`, `place_id`. Open: `options`, from which a match run
    picks one (its time and place are then shown in `start`, `end`, `place_id`).
    """

    id = fields.Integer(dump_only=True)
    activity_id = Id(required=True)
    centre_id = fields.Integer(
        attribute="activity.centre_id",
        dump_only=True,
        metadata={"description": "the activity's centre"},
    )
    # null in answers for an open session not yet scheduled; null in a body
    # counts as not given.
    start = TimeField(allow_none=True, validate=_PLAUSIBLE)
    end = TimeField(allow_none=True, validate=_PLAUSIBLE)
    place_id = Id(allow_none=True)
    options = ZonedNested(
        SessionOptionSchema,
        many=True,
        allow_none=True,
        validate=validate.Length(min=1, error="an open session needs at least one option"),
    )
    optional = StrictBoolean(
        metadata={"description": "an open session that may be left unscheduled"}
    )
    status = Text(validate=validate.OneOf(SESSION_STATUSES))
    participants = WholeNumber(
        allow_none=True, validate=validate.Range(min=0, max=100000),
        metadata={"description": "participants who came (set after the session; null: not "
                                 "counted); summed as participants reached in /api/v1/reports"},
    )
    created_at = TimeField(dump_only=True)
    updated_at = TimeField(dump_only=True)

    @pre_load
    def _null_means_absent(self, data: Any, **_: Any) -> Any:
        if isinstance(data, dict):
            return {
                key: value
                for key, value in data.items()
                if not (key in ("start", "end", "options") and value is None)
            }
        return data

    @validates_schema
    def _shape(self, data: dict[str, Any], partial: Any = None, **_: Any) -> None:
        """Exactly one of start+end or options (a PATCH may give neither)."""
        fixed = "start" in data or "end" in data
        if fixed and "options" in data:
            raise ValidationError("give either start and end or options, not both", "options")
        if not partial:
            if not fixed and "options" not in data:
                raise ValidationError(
                    {
                        "start": ["give start and end for a fixed session, or options"],
                        "options": ["give start and end for a fixed session, or options"],
                    }
                )
            if fixed:
                for name in ("start", "end"):
                    if name not in data:
                        raise ValidationError("a fixed session needs start and end", name)
            if data.get("optional") and "options" not in data:
                raise ValidationError(
                    "only an open session (with options) can be optional", "optional"
                )
        check_end_after_start(data)


_SESSION_BODY_FIELDS = (
    "activity_id",
    "start",
    "end",
    "place_id",
    "options",
    "optional",
    "status",
    "participants",
)


class SessionPatchSchema(SessionSchema):
    """PATCH: any subset. `options` makes the session open, `start`/`end` fixed;
    `status: cancelled` also cancels its proposed and confirmed assignments."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=_SESSION_BODY_FIELDS, **kwargs)


class SessionFilterSchema(QuerySchema):
    activity_id = QueryId()
    centre_id = QueryId()
    place_id = QueryId(
        metadata={"description": "the session's place (an open one's once chosen)"}
    )
    status = fields.String(validate=validate.OneOf(SESSION_STATUSES))
    window_from = TimeField(
        data_key="from",
        attribute="from",
        metadata={"description": "sessions that may end after this time"},
    )
    window_to = TimeField(
        data_key="to",
        attribute="to",
        metadata={"description": "sessions that may start before this time"},
    )


class WeeklySlotSchema(StrictSchema):
    weekday = WholeNumber(
        required=True,
        validate=validate.Range(min=0, max=6, error="weekday is 0 (Monday) to 6 (Sunday)"),
    )
    start = ClockTimeField(required=True, metadata={"description": 'local time "HH:MM"'})
    end = ClockTimeField(required=True, metadata={"description": 'local time "HH:MM"'})

    @validates_schema
    def _times(self, data: dict[str, Any], **_: Any) -> None:
        check_end_after_start(data)


class GenerateOptionSchema(StrictSchema):
    """One place an open generated session may be held at."""

    place_id = Id(required=True, allow_none=True)
    penalty = StrictFloat(load_default=0.0, validate=_PENALTY)


class GenerateSchema(StrictSchema):
    """Sessions from a weekly pattern over [from, to), in the municipality's zone.

    With `place_id` (or neither) each occurrence is a fixed session; with
    `options` each is an open session offered at those places.
    """

    window_from = TimeField(required=True, data_key="from", attribute="from", validate=_PLAUSIBLE)
    window_to = TimeField(required=True, data_key="to", attribute="to", validate=_PLAUSIBLE)
    weekly = fields.List(
        fields.Nested(WeeklySlotSchema),
        required=True,
        validate=validate.Length(min=1, error="give at least one weekly time"),
    )
    place_id = Id(allow_none=True)
    options = fields.List(
        fields.Nested(GenerateOptionSchema),
        validate=validate.Length(min=1, error="give at least one option, or leave options out"),
    )
    optional = StrictBoolean(
        metadata={"description": "open sessions only: each may be left unscheduled"}
    )
    skip_holidays = StrictBoolean(
        load_default=True,
        metadata={
            "description": "leave out the country's public holidays (and Christmas and "
            "New Year's Eve); false makes sessions on them too"
        },
    )

    @validates_schema
    def _window_and_places(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("place_id") is not None and "options" in data:
            raise ValidationError("give either place_id or options, not both", "options")
        if data.get("optional") and "options" not in data:
            raise ValidationError("only open sessions (with options) can be optional", "optional")
        check_end_after_start(data, "from", "to")


class SkippedOccurrenceSchema(Schema):
    """A weekly time left out because it falls on a holiday."""

    date = fields.Date(metadata={"description": "the local date"})
    start = fields.Function(
        lambda occurrence: occurrence.start.isoformat(),
        metadata={"description": "when the session would have started, local time"},
    )
    end = fields.Function(lambda occurrence: occurrence.end.isoformat())
    holiday = fields.String(metadata={"description": "the holiday's name"})


class GeneratedSchema(Schema):
    """The answer of `sessions:generate`."""

    sessions = fields.List(
        fields.Nested(SessionSchema), metadata={"description": "the sessions created"}
    )
    skipped = fields.List(
        fields.Nested(SkippedOccurrenceSchema),
        metadata={"description": "weekly times left out because they fall on a holiday"},
    )
