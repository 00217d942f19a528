from marshmallow import fields, validate

from api.common import MAX_INT, QuerySchema, StrictSchema, Text, TimeField
from medsam_match.models import ASSIGNMENT_STATUSES


class AssignmentSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    volunteer_id = fields.Integer(dump_only=True)
    session_id = fields.Integer(dump_only=True)
    role = fields.String(dump_only=True)
    status = fields.String(dump_only=True, validate=validate.OneOf(ASSIGNMENT_STATUSES))
    locked = fields.Boolean(required=True)
    match_run_id = fields.Integer(dump_only=True, allow_none=True)
    decline_reason = fields.String(dump_only=True, allow_none=True)
    start = TimeField(dump_only=True, attribute="session.start", allow_none=True)
    end = TimeField(dump_only=True, attribute="session.end", allow_none=True)
    created_at = TimeField(dump_only=True)
    updated_at = TimeField(dump_only=True)


class AssignmentPatchSchema(StrictSchema):
    locked = fields.Boolean(required=True)
    if_updated_at = TimeField(
        load_default=None,
        metadata={"description": "the updated_at you read; 409 if the assignment changed since"},
    )


class DeclineSchema(StrictSchema):
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class AssignmentQuerySchema(QuerySchema):
    volunteer_id = fields.Integer(validate=validate.Range(min=1, max=MAX_INT))
    session_id = fields.Integer(validate=validate.Range(min=1, max=MAX_INT))
    centre_id = fields.Integer(validate=validate.Range(min=1, max=MAX_INT))
    match_run_id = fields.Integer(validate=validate.Range(min=1, max=MAX_INT))
    status = fields.String(validate=validate.OneOf(ASSIGNMENT_STATUSES))
    locked = fields.Boolean()
    window_from = TimeField(data_key="from")
    window_to = TimeField(data_key="to")
