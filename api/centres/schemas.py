from typing import Any

from marshmallow import fields, validate

from api.common import (
    Id,
    QueryId,
    QuerySchema,
    StrictBoolean,
    StrictSchema,
    Text,
    TimeField,
    body_fields,
)


class CentreSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    municipality_id = Id(required=True)
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    email = Text(
        allow_none=True,
        validate=[validate.Email(error="not an email address"), validate.Length(max=254)],
        metadata={"format": "email"},
    )
    active = StrictBoolean(metadata={"description": "inactive centres are skipped by the nightly run"})
    created_at = TimeField(dump_only=True)
    updated_at = TimeField(dump_only=True)


class CentrePatchSchema(CentreSchema):
    """A centre stays in its municipality: municipality_id cannot change."""

    class Meta(CentreSchema.Meta):
        exclude = ("municipality_id",)

    def __init__(self, **kwargs: Any) -> None:
        # Any top-level field may be left out; a nested object given is checked whole.
        super().__init__(partial=body_fields(CentreSchema), **kwargs)


class CentreQuerySchema(QuerySchema):
    municipality_id = QueryId()
    active = fields.Boolean()
