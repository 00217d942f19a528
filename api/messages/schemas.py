from __future__ import annotations

from marshmallow import fields, validate

from api.common import QueryId, QuerySchema, StrictSchema, Text
from api.common import TimeField as Time
from medsam_match.models import MESSAGE_CHANNELS, MESSAGE_KINDS, MESSAGE_STATUSES


class MessageSchema(StrictSchema):
    """One message of the outbox. `address` is where it goes; `subject` is
    set once it was rendered (at the first try)."""

    id = fields.Integer(dump_only=True)
    kind = Text(dump_only=True, metadata={"enum": list(MESSAGE_KINDS)})
    channel = Text(dump_only=True, metadata={"enum": list(MESSAGE_CHANNELS)})
    status = Text(dump_only=True, metadata={
        "enum": list(MESSAGE_STATUSES),
        "description": "queued (waiting, also between tries), sending, sent, failed (gave up "
                       "after the configured tries; can be resent)"})
    centre_id = fields.Integer(dump_only=True, allow_none=True)
    volunteer_id = fields.Integer(dump_only=True, allow_none=True)
    user_id = fields.Integer(dump_only=True, allow_none=True)
    address = Text(dump_only=True)
    language = Text(dump_only=True)
    subject = Text(dump_only=True, allow_none=True)
    tries = fields.Integer(dump_only=True)
    last_error = Text(dump_only=True, allow_none=True)
    next_attempt_at = Time(dump_only=True)
    created_at = Time(dump_only=True)
    sent_at = Time(dump_only=True, allow_none=True)


class MessageQuerySchema(QuerySchema):
    status = Text(validate=validate.OneOf(MESSAGE_STATUSES))
    channel = Text(validate=validate.OneOf(MESSAGE_CHANNELS))
    kind = Text(validate=validate.OneOf(MESSAGE_KINDS))
    volunteer_id = QueryId()
    centre_id = QueryId()
