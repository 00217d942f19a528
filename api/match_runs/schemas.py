from marshmallow import fields, validate

from api.common import MAX_INT, QuerySchema, StrictSchema, TimeField
from medsam_match.models import RUN_MODES, RUN_STATUSES, RUN_TRIGGERS


class MatchRunCreateSchema(StrictSchema):
    centre_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_INT))
    window_from = TimeField(required=True, data_key="from")
    window_to = TimeField(required=True, data_key="to")
    time_limit_s = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(min=1, max=3600),
        metadata={"description": "seconds the solver may take (default from the configuration)"},
    )
    mode = fields.String(load_default="plan", validate=validate.OneOf(RUN_MODES))
    dry_run = fields.Boolean(load_default=False)


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
    centre_id = fields.Integer(validate=validate.Range(min=1, max=MAX_INT))
    status = fields.String(validate=validate.OneOf(RUN_STATUSES))
    mode = fields.String(validate=validate.OneOf(RUN_MODES))
    trigger = fields.String(validate=validate.OneOf(RUN_TRIGGERS))


class DocumentSchema(StrictSchema):
    """A medsam-scenario/1 or medsam-result/1 document (see docs/scenario-format.md)."""

    class Meta(StrictSchema.Meta):
        unknown = "include"
