from typing import Any

from marshmallow import fields, validate, validates_schema

from api.common import (
    Id,
    QueryId,
    QuerySchema,
    StrictBoolean,
    StrictFloat,
    StrictSchema,
    Text,
    TimeField,
    check_end_after_start,
)
from medsam_match.models import RUN_MODES, RUN_STATUSES, RUN_TRIGGERS


class MatchRunCreateSchema(StrictSchema):
    centre_id = Id(required=True)
    window_from = TimeField(required=True, data_key="from")
    window_to = TimeField(required=True, data_key="to")
    time_limit_s = StrictFloat(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=3600),
        metadata={"description": "seconds the solver may take (default from the configuration)"},
    )
    mode = Text(load_default="plan", validate=validate.OneOf(RUN_MODES))
    dry_run = StrictBoolean(load_default=False)

    @validates_schema
    def _to_after_from(self, data: dict[str, Any], **_: Any) -> None:
        check_end_after_start(data, "window_from", "window_to", names=("from", "to"))


class MatchRunSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    centre_id = fields.Integer()
    window_from = TimeField(data_key="from")
    window_to = TimeField(data_key="to")
    mode = fields.String(validate=validate.OneOf(RUN_MODES))
    dry_run = fields.Boolean()
    trigger = fields.String(validate=validate.OneOf(RUN_TRIGGERS))
    night = fields.Date(allow_none=True)
    time_limit_s = fields.Float()
    status = fields.String(validate=validate.OneOf(RUN_STATUSES))
    created_at = TimeField()
    started_at = TimeField(allow_none=True)
    finished_at = TimeField(allow_none=True)
    published_at = TimeField(allow_none=True)
    score = fields.Float(allow_none=True)
    bound = fields.Float(allow_none=True)
    kpis = fields.Dict(allow_none=True)
    unfilled = fields.List(fields.Dict(), allow_none=True)
    changes = fields.Dict(
        allow_none=True,
        metadata={"description": "what the plan changed against the one before it: added, "
                                 "removed, moved, with counts"},
    )
    error = fields.String(allow_none=True)


class MatchRunQuerySchema(QuerySchema):
    centre_id = QueryId()
    status = fields.String(validate=validate.OneOf(RUN_STATUSES))
    mode = fields.String(validate=validate.OneOf(RUN_MODES))
    trigger = fields.String(validate=validate.OneOf(RUN_TRIGGERS))


class DocumentSchema(StrictSchema):
    """A medsam-scenario/1 or medsam-result/1 document (see docs/scenario-format.md)."""

    class Meta(StrictSchema.Meta):
        unknown = "include"
