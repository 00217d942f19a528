"""Volunteer bodies, filters and responses."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from api.common import QuerySchema, StrictSchema, TimeField, ZonedNested
from api.common import Text as CommonText
from medsam_match.models import ASSIGNMENT_STATUSES
from medsam_match.services.availability import parse_clock

_TAG = validate.Length(min=1, max=100)
_TAGS_MAX = validate.Length(max=100)
# Ids are 32-bit in the database; a larger number cannot name anything.
_ID = validate.Range(min=1, max=2**31 - 1, error="no such id")


class Text(CommonText):
    """Text (no NUL, no lone surrogates) without any control character either:
    a tab or line break in a name or a tag is a mistake, not data."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if any(ord(char) < 32 or ord(char) == 127 for char in text):
            raise ValidationError("must not contain control characters")
        return text


class Time(TimeField):
    """TimeField that also refuses times that overflow when converted to UTC."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except OverflowError:
            raise ValidationError("time out of range") from None


class StrictFloat(fields.Float):
    """A JSON number: "12.5" as a string is a type error, not a number."""

    def _validated(self, value: Any) -> float:
        if isinstance(value, str):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class StrictBoolean(fields.Boolean):
    """A JSON true or false; 1, "yes" and "true" are type errors."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class IsoDate(fields.Date):
    """A calendar date, YYYY-MM-DD; also dumps the strings kept in JSON columns."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


def _clock(*, end: bool) -> Any:
    def check(value: str) -> None:
        try:
            parse_clock(value, allow_midnight_end=end)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    return check


class CertificateSchema(StrictSchema):
    """A certificate the volunteer holds, e.g. a police certificate (politiattest)."""

    kind = Text(required=True, validate=_TAG, metadata={"example": "police"})
    valid_until = IsoDate(
        required=True, metadata={"description": "last day it is valid (inclusive)"}
    )


class WeeklyWindowSchema(StrictSchema):
    """A weekly window in the municipality's local time.

    `end` "24:00" is midnight at the end of the day; an `end` before `start`
    crosses midnight (Friday 22:00-02:00 ends on Saturday).
    """

    weekday = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=0, max=6),
        metadata={"description": "0 = Monday .. 6 = Sunday"},
    )
    start = Text(required=True, validate=_clock(end=False), metadata={"example": "17:00"})
    end = Text(required=True, validate=_clock(end=True), metadata={"example": "19:00"})

    @validates_schema
    def _not_empty(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") is not None and data.get("start") == data.get("end"):
            raise ValidationError("end must differ from start", "end")


class UnavailableSchema(StrictSchema):
    """An interval the volunteer is away (holiday), with UTC offsets."""

    start = Time(required=True)
    end = Time(required=True)

    @validates_schema
    def _end_after_start(self, data: dict[str, Any], **_: Any) -> None:
        if "start" in data and "end" in data and data["end"] <= data["start"]:
            raise ValidationError("end must be after start", "end")


class VolunteerSchema(StrictSchema):
    """A volunteer as created (POST) and returned."""

    id = fields.Integer(dump_only=True)
    centre_id = fields.Integer(required=True, strict=True, validate=_ID)
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    email = Text(
        load_default=None,
        allow_none=True,
        validate=[validate.Email(error="not an email address"), validate.Length(max=254)],
        metadata={"format": "email"},
    )
    phone = Text(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(
            r"^\+?[0-9][0-9 ()-]{2,38}$", error="not a phone number, e.g. +47 912 34 567"
        ),
    )
    lat = StrictFloat(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    lon = StrictFloat(load_default=None, allow_none=True, validate=validate.Range(-180, 180))
    max_travel_km = StrictFloat(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=20000),
        metadata={"description": "null: no limit"},
    )
    skills = fields.List(Text(validate=_TAG), load_default=list, validate=_TAGS_MAX)
    languages = fields.List(Text(validate=_TAG), load_default=list, validate=_TAGS_MAX)
    interests = fields.List(Text(validate=_TAG), load_default=list, validate=_TAGS_MAX)
    certificates = fields.List(
        fields.Nested(CertificateSchema), load_default=list, validate=_TAGS_MAX
    )
    max_hours_per_week = StrictFloat(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=168)
    )
    max_sessions_per_week = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0, max=100)
    )
    preferred_activity_ids = fields.List(
        fields.Integer(strict=True, validate=_ID), load_default=list, validate=_TAGS_MAX
    )
    weekly_availability = fields.List(
        fields.Nested(WeeklyWindowSchema),
        load_default=list,
        validate=validate.Length(max=200),
        metadata={"description": "empty: never available"},
    )
    unavailable = fields.List(
        ZonedNested(UnavailableSchema), load_default=list, validate=validate.Length(max=500)
    )
    active = StrictBoolean(load_default=True)
    erased_at = Time(dump_only=True, allow_none=True, metadata={"description": "set once erased (GDPR)"})
    created_at = Time(dump_only=True)
    updated_at = Time(dump_only=True)

    @validates_schema
    def _location_is_a_pair(self, data: dict[str, Any], partial: Any = None, **_: Any) -> None:
        # A PATCH may send one of the two; the service checks the stored pair.
        if partial:
            return
        if (data.get("lat") is None) != (data.get("lon") is None):
            missing = "lon" if data.get("lon") is None else "lat"
            raise ValidationError("lat and lon go together: give both or neither", missing)


# Every body field: a PATCH may leave any out, and defaults must not fill them in.
_BODY_FIELDS = tuple(
    name for name, field in VolunteerSchema._declared_fields.items() if not field.dump_only
)


class VolunteerPatchSchema(VolunteerSchema):
    """PATCH: any subset of the fields; a list given replaces the stored one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=_BODY_FIELDS, **kwargs)


class VolunteerFilterSchema(QuerySchema):
    centre_id = fields.Integer(
        validate=_ID, metadata={"description": "only this centre's volunteers"}
    )
    active = fields.Boolean()
    skill = Text(metadata={"description": "has this skill (exact tag)"})
    language = Text(metadata={"description": "speaks this language (exact tag)"})
    interest = Text(metadata={"description": "has this interest (exact tag)"})
    q = Text(
        validate=validate.Length(max=200), metadata={"description": "part of the name, any case"}
    )
    include_erased = fields.Boolean(
        load_default=False, metadata={"description": "admin only: also erased volunteers"}
    )


class VolunteerAssignmentFilterSchema(QuerySchema):
    status = Text(validate=validate.OneOf(ASSIGNMENT_STATUSES))
    from_ = Time(
        data_key="from", attribute="from", metadata={"description": "sessions ending after this"}
    )
    to = Time(metadata={"description": "sessions starting before this"})


class VolunteerAssignmentSchema(StrictSchema):
    """One of the volunteer's assignments, with when and where it is."""

    id = fields.Integer(dump_only=True)
    volunteer_id = fields.Integer(dump_only=True)
    session_id = fields.Integer(dump_only=True)
    activity_id = fields.Integer(attribute="session.activity_id", dump_only=True)
    activity_title = Text(attribute="session.activity.title", dump_only=True)
    start = Time(attribute="session.start", dump_only=True, allow_none=True)
    end = Time(attribute="session.end", dump_only=True, allow_none=True)
    place_id = fields.Integer(attribute="session.place_id", dump_only=True, allow_none=True)
    role = Text(dump_only=True)
    status = Text(dump_only=True)
    locked = fields.Boolean(dump_only=True)
    match_run_id = fields.Integer(dump_only=True, allow_none=True)
    updated_at = Time(dump_only=True)
