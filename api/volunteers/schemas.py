"""Volunteer bodies, filters and responses."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from api.common import (
    Id,
    IsoDate,
    LanguageCode,
    QueryId,
    QuerySchema,
    StrictBoolean,
    StrictFloat,
    StrictSchema,
    Text,
    WholeNumber,
    ZonedNested,
    body_fields,
    check_end_after_start,
)
from api.common import TimeField as Time
from medsam_match.models import ASSIGNMENT_STATUSES, NOTIFY_CHANNELS
from medsam_match.services.availability import parse_clock

_TAG = validate.Length(min=1, max=100)
_TAGS_MAX = validate.Length(max=100)


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

    weekday = WholeNumber(
        required=True,
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
        check_end_after_start(data)


class VolunteerBodySchema(StrictSchema):
    """A volunteer as created (POST).

    A volunteer token may change only some fields of itself (see
    docs/self-editable-fields.md): not `centre_id`, `active`, `skills` nor
    `certificates`, which the coordinator verifies.
    """

    id = fields.Integer(dump_only=True)
    centre_id = Id(required=True)
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
        metadata={"description": "stored in E.164 (+4791234567); without a country code it is "
                                 "read in the municipality's country"},
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
    languages = fields.List(
        LanguageCode(),
        load_default=list,
        validate=_TAGS_MAX,
        metadata={"description": 'ISO 639-1 codes, e.g. ["ar", "no"]'},
    )
    interests = fields.List(Text(validate=_TAG), load_default=list, validate=_TAGS_MAX)
    certificates = fields.List(
        fields.Nested(CertificateSchema), load_default=list, validate=_TAGS_MAX
    )
    max_hours_per_week = StrictFloat(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=168)
    )
    max_sessions_per_week = WholeNumber(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=100)
    )
    preferred_activity_ids = fields.List(
        Id(), load_default=list, validate=_TAGS_MAX
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
    notify_channel = Text(
        load_default="email",
        validate=validate.OneOf(NOTIFY_CHANNELS, error="must be one of: email, sms, both, none"),
        metadata={"description": "how messages reach the volunteer: email, sms, both or none"},
    )
    reminders = StrictBoolean(
        load_default=True, metadata={"description": "a reminder before each session"})
    language = Text(
        load_default=None, allow_none=True,
        validate=validate.OneOf(("nb", "nn", "da", "en"), error="must be one of: nb, nn, da, en"),
        metadata={"description": "language of messages (nb nn da en); null: the municipality's"},
    )
    erased_at = Time(dump_only=True, allow_none=True, metadata={"description": "set once erased (GDPR)"})
    erasure_requested_at = Time(dump_only=True, allow_none=True, metadata={
        "description": "set while the volunteer's request to be erased awaits a coordinator"})
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


class VolunteerSchema(VolunteerBodySchema):
    """A volunteer as returned. An erased volunteer's `name` is empty."""

    name = Text(
        required=True,
        validate=validate.Length(max=200),
        metadata={"description": "empty once the volunteer is erased (see erased_at)"},
    )


# Every body field: a PATCH may leave any out, and defaults must not fill them in.
_BODY_FIELDS = body_fields(VolunteerBodySchema)


class VolunteerPatchSchema(VolunteerBodySchema):
    """PATCH: any subset of the fields; a list given replaces the stored one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=_BODY_FIELDS, **kwargs)


class VolunteerFilterSchema(QuerySchema):
    centre_id = QueryId(metadata={"description": "only this centre's volunteers"})
    active = fields.Boolean()
    skill = Text(metadata={"description": "has this skill (exact tag)"})
    language = LanguageCode(metadata={"description": "speaks this language (ISO 639-1 code)"})
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
    locked = StrictBoolean(dump_only=True)
    match_run_id = fields.Integer(dump_only=True, allow_none=True)
    updated_at = Time(dump_only=True)
