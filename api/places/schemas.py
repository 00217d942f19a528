from typing import Any

from marshmallow import fields, validate

from api.common import (
    MAX_INT,
    Id,
    IntervalSchema,
    MultilineText,
    QueryId,
    QuerySchema,
    StrictFloat,
    StrictSchema,
    Text,
    TimeField,
    WholeNumber,
    ZonedNested,
    body_fields,
)


class PlaceSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    municipality_id = Id(required=True)
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    address = MultilineText(allow_none=True, validate=validate.Length(max=1000))
    lat = StrictFloat(allow_none=True, validate=validate.Range(min=-90, max=90))
    lon = StrictFloat(allow_none=True, validate=validate.Range(min=-180, max=180))
    capacity = WholeNumber(
        allow_none=True,
        validate=validate.Range(min=0, max=MAX_INT),
        metadata={"description": "most people the place holds; null: unlimited"},
    )
    parallel = WholeNumber(
        validate=validate.Range(min=1, max=1000),
        metadata={"description": "sessions that may run there at the same time (default 1)"},
    )
    features = fields.List(
        Text(validate=validate.Length(min=1, max=100)),
        validate=validate.Length(max=100),
        metadata={"description": "e.g. wheelchair, kitchen, projector"},
    )
    busy = ZonedNested(
        IntervalSchema,
        many=True,
        validate=validate.Length(max=1000),
        metadata={"description": "intervals booked by others"},
    )
    created_at = TimeField(dump_only=True)
    updated_at = TimeField(dump_only=True)


class PlacePatchSchema(PlaceSchema):
    """A place stays in its municipality: municipality_id cannot change."""

    class Meta(PlaceSchema.Meta):
        exclude = ("municipality_id",)

    def __init__(self, **kwargs: Any) -> None:
        # Any top-level field may be left out; a nested object given is checked whole.
        super().__init__(partial=body_fields(PlaceSchema), **kwargs)


class PlaceQuerySchema(QuerySchema):
    municipality_id = QueryId()
    feature = Text(validate=validate.Length(min=1, max=100), metadata={"description": "places having this feature"})
