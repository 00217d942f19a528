"""Activity bodies, filters and responses."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from api.common import (
    Id,
    LanguageCode,
    MultilineText,
    QueryId,
    QuerySchema,
    StrictSchema,
    Text,
    TimeField,
    WholeNumber,
    body_fields,
)

_NAME = validate.Length(min=1, max=100)


class RoleSchema(StrictSchema):
    """What a session of the activity needs people for.

    `max` defaults to max(min, 1): a role with min 0 still has room for one.
    """

    role = Text(required=True, validate=_NAME)
    min = WholeNumber(load_default=1, validate=validate.Range(min=0, max=1000))
    max = WholeNumber(validate=validate.Range(min=1, max=1000))
    skills = fields.List(Text(validate=_NAME), load_default=list)
    languages = fields.List(
        LanguageCode(),
        load_default=list,
        metadata={"description": 'ISO 639-1 codes; a volunteer speaking any one fits, e.g. ["ar"]'},
    )
    certificate = Text(
        load_default=None,
        allow_none=True,
        validate=_NAME,
        metadata={"description": "a certificate kind the volunteer must hold, e.g. police"},
    )

    @validates_schema
    def _max_not_below_min(self, data: dict[str, Any], **_: Any) -> None:
        if "max" in data and data["max"] < max(data.get("min", 1), 1):
            raise ValidationError(
                f"max ({data['max']}) must be at least min ({data.get('min', 1)}) and at least 1",
                "max",
            )

    @post_load
    def _default_max(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data.setdefault("max", max(data.get("min", 1), 1))
        return data


class ActivitySchema(StrictSchema):
    """An activity as created (POST) and returned."""

    id = fields.Integer(dump_only=True)
    centre_id = Id(required=True)
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    description = MultilineText(load_default="", validate=validate.Length(max=10000))
    interests = fields.List(Text(validate=_NAME), load_default=list)
    needs = fields.List(Text(validate=_NAME), load_default=list)
    participants = WholeNumber(load_default=0, validate=validate.Range(min=0, max=100000))
    roles = fields.List(
        fields.Nested(RoleSchema),
        required=True,
        validate=validate.Length(min=1, error="an activity needs at least one role"),
    )
    created_at = TimeField(dump_only=True)
    updated_at = TimeField(dump_only=True)

    @validates_schema
    def _unique_role_names(self, data: dict[str, Any], **_: Any) -> None:
        seen: set[str] = set()
        duplicates: dict[int, dict[str, list[str]]] = {}
        for index, role in enumerate(data.get("roles") or []):
            if role["role"] in seen:
                duplicates[index] = {"role": [f"role name {role['role']!r} is used twice"]}
            seen.add(role["role"])
        if duplicates:
            raise ValidationError({"roles": duplicates})


# Every body field: a PATCH may leave any out, and defaults must not fill them in.
_BODY_FIELDS = body_fields(ActivitySchema)


class ActivityPatchSchema(ActivitySchema):
    """PATCH: any subset of the fields; a given `roles` replaces the list."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=_BODY_FIELDS, **kwargs)


class ActivityFilterSchema(QuerySchema):
    centre_id = QueryId(metadata={"description": "only this centre's activities"})
    municipality_id = QueryId(
        metadata={"description": "only activities of this municipality's centres"}
    )
