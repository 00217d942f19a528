from typing import Any

from marshmallow import Schema, fields, validate, validates_schema

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
from api.language import requested_locale
from medsam_match.models import RUN_MODES, RUN_STATUSES, RUN_TRIGGERS
from medsam_match.services import run_report


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


def _described(description: str, field: type[fields.Field] = fields.Float) -> fields.Field:
    return field(metadata={"description": description})


class KpisSchema(Schema):
    """The figures of a plan, over the sessions it schedules (see also
    docs/scenario-format.md). A slot is one place a role must fill (its `min`)."""

    sessions_scheduled = _described("sessions the plan holds", fields.Integer)
    sessions_unscheduled = _described(
        "optional open sessions the plan leaves out", fields.Integer)
    slots_min = _described("people the sessions need at least (each role's min, added up)",
                           fields.Integer)
    filled_min = _described("of those, how many the plan fills", fields.Integer)
    fill_rate = _described("filled_min / slots_min: 1.0 means every needed slot is filled")
    slots_missing = _described("needed slots left empty (each is explained in `unfilled`)",
                               fields.Integer)
    extra_filled = _described("people placed beyond a role's minimum, up to its max",
                              fields.Integer)
    assignments = _described("people placed on sessions, in all", fields.Integer)
    volunteers_used = _described("volunteers with at least one session", fields.Integer)
    volunteers_total = _described("volunteers the plan could choose from", fields.Integer)
    interest_match_rate = _described(
        "share of placements on an activity matching the volunteer's interests (0 to 1)")
    preferred_match_rate = _described(
        "share of placements on an activity the volunteer prefers (0 to 1)")
    travel_km_total = _described("kilometres from home to the place, added up over placements")
    hours_total = _described("hours of volunteer work in the plan")
    hours_max = _described("the most hours any one volunteer works")
    hours_gini = _described(
        "how unevenly the hours are shared: 0 is perfectly even, near 1 is one person "
        "doing everything")
    changes = fields.Integer(
        allow_none=True,
        metadata={"description": "placements added or removed against the plan before; null "
                                 "when there was none"})
    score_terms = fields.Dict(
        metadata={"description": "the score split into its parts (for specialists)"})


class QualitySchema(Schema):
    proven_best = _described("true: no plan can score better", fields.Boolean)
    gap = fields.Float(
        allow_none=True,
        metadata={"description": "(best possible - score) / best possible; 0 for the best plan, "
                                 "null when the best possible is unknown"})
    percent_of_best = fields.Float(
        allow_none=True,
        metadata={"description": "how close the plan is to the best possible one, in per cent"})


class VolunteerHoursSchema(Schema):
    volunteer_id = fields.Integer()
    name = fields.String()
    hours = fields.Float(metadata={"description": "hours of sessions in the run's window"})
    sessions = fields.Integer()


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
    kpis = fields.Nested(KpisSchema, allow_none=True)
    quality = fields.Method(
        "_quality",
        metadata={"description": "how close the plan is to the best possible one; null "
                                 "without a plan"})
    unfilled = fields.Method(
        "_unfilled",
        metadata={"description": "needed slots left empty: `session_id`, `title`, `start` "
                                 "(local time), `place`, `role`, `missing`, and `reason` in "
                                 "the Accept-Language (nb, nn, da, en) or the municipality's "
                                 "language; `reason_en` keeps the solver's own words"})
    changes = fields.Method(
        "_changes",
        metadata={"description": "what the plan changes against the one before it: added, "
                                 "removed, moved (each with the volunteer's name and the "
                                 "session's title, local start, place and role), with counts"})
    hours_by_volunteer = fields.Method(
        "_hours",
        metadata={"description": "who carries how much: hours per volunteer in the window, "
                                 "most first"})
    error = fields.String(allow_none=True)

    def _quality(self, run: Any) -> dict[str, Any] | None:
        found = run_report.closeness(run)
        return None if found is None else QualitySchema().dump(found.as_dict())

    def _unfilled(self, run: Any) -> list[dict[str, Any]] | None:
        return run_report.unfilled_for_people(run, requested_locale())

    def _changes(self, run: Any) -> dict[str, Any] | None:
        return run_report.changes_for_people(run)

    def _hours(self, run: Any) -> list[dict[str, Any]]:
        return VolunteerHoursSchema(many=True).dump(run_report.hours_by_volunteer(run))


class MatchRunQuerySchema(QuerySchema):
    centre_id = QueryId()
    status = fields.String(validate=validate.OneOf(RUN_STATUSES))
    mode = fields.String(validate=validate.OneOf(RUN_MODES))
    trigger = fields.String(validate=validate.OneOf(RUN_TRIGGERS))


class DocumentSchema(StrictSchema):
    """A medsam-scenario/1 or medsam-result/1 document (see docs/scenario-format.md)."""

    class Meta(StrictSchema.Meta):
        unknown = "include"
