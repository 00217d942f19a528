from marshmallow import Schema, fields


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ok or degraded"})
    database = fields.String(required=True, metadata={"description": "ok or unavailable"})
    version = fields.String(required=True)
