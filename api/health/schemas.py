from marshmallow import Schema, fields


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ok or degraded"})
    database = fields.String(required=True, metadata={
        "description": "ok, read-only (reads work, writes fail: a full disk, a read-only "
                       "file or a standby) or unavailable"})
    version = fields.String(required=True)
