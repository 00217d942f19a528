from marshmallow import fields, validate

from api.common import (
    MAX_INT,
    IntervalSchema,
    QuerySchema,
    StrictSchema,
    Text,
    TimeField,
    WholeNumber,
    ZonedNested,
)


class PlaceSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    municipality_id = WholeNumber(required=True, validate=validate.Range(min=1, max=MAX_INT))
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    address = Text(allow_none=True, validate=validate.Length(max=1000))
    lat = fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))
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


class PlaceQuerySchema(QuerySchema):
    municipality_id = fields.Integer(validate=validate.Range(min=1, max=MAX_INT))
    feature = Text(validate=validate.Length(min=1, max=100), metadata={"description": "places having this feature"})
