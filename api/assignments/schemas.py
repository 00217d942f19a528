from marshmallow import fields, validate

from api.common import (
    MultilineText,
    QueryId,
    QuerySchema,
    StrictBoolean,
    StrictSchema,
    TimeField,
)
from medsam_match.models import ASSIGNMENT_STATUSES


class AssignmentSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    volunteer_id = fields.Integer(dump_only=True)
    session_id = fields.Integer(dump_only=True)
    role = fields.String(dump_only=True)
    status = fields.String(dump_only=True, validate=validate.OneOf(ASSIGNMENT_STATUSES))
    locked = StrictBoolean(required=True)
    match_run_id = fields.Integer(dump_only=True, allow_none=True)
    decline_reason = fields.String(dump_only=True, allow_none=True)
    start = TimeField(dump_only=True, attribute="session.start", allow_none=True)
    end = TimeField(dump_only=True, attribute="session.end", allow_none=True)
    created_at = TimeField(dump_only=True)
    updated_at = TimeField(dump_only=True)


class AssignmentPatchSchema(StrictSchema):
    locked = StrictBoolean(required=True)
    if_updated_at = TimeField(
        load_default=None,
        metadata={"description": "the updated_at you read; 409 if the assignment changed since"},
    )


class DeclineSchema(StrictSchema):
    reason = MultilineText(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class AssignmentQuerySchema(QuerySchema):
    volunteer_id = QueryId()
    session_id = QueryId()
    centre_id = QueryId()
    match_run_id = QueryId()
    status = fields.String(validate=validate.OneOf(ASSIGNMENT_STATUSES))
    locked = fields.Boolean()
    window_from = TimeField(data_key="from")
    window_to = TimeField(data_key="to")
