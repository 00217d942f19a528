from marshmallow import fields, validate

from api.common import MAX_INT, QuerySchema, StrictSchema, Text, TimeField, WholeNumber


class CentreSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    municipality_id = WholeNumber(required=True, validate=validate.Range(min=1, max=MAX_INT))
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    active = fields.Boolean(metadata={"description": "inactive centres are skipped by the nightly run"})
    created_at = TimeField(dump_only=True)
    updated_at = TimeField(dump_only=True)


class CentrePatchSchema(CentreSchema):
    """A centre stays in its municipality: municipality_id cannot change."""

    class Meta(CentreSchema.Meta):
        exclude = ("municipality_id",)


class CentreQuerySchema(QuerySchema):
    municipality_id = fields.Integer(validate=validate.Range(min=1, max=MAX_INT))
    active = fields.Boolean()
