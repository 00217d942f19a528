from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters
from marshmallow import fields, validate, validates_schema

from api.common import (
    Id,
    IsoDate,
    MultilineText,
    QueryId,
    QuerySchema,
    StrictFloat,
    StrictSchema,
    TimeField,
    check_end_after_start,
    paginate,
)
from medsam_match.auth import current_principal
from medsam_match.models import HOURS_STATUSES
from medsam_match.services import hours as service

from . import blp

HOURS_RANGE = validate.Range(min=0, min_inclusive=False, max=service.MAX_HOURS_PER_DAY,
                             error="must be more than 0 and at most 24 (hours in one day)")


class HoursEntrySchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    volunteer_id = Id(load_default=None, metadata={
        "description": "coordinators: whose hours (approved at once); volunteers log their "
                       "own and may leave it out"})
    volunteer_name = fields.String(attribute="volunteer.name", dump_only=True)
    day = IsoDate(required=True, metadata={"description": "the day the work was done "
                                                          "(not in the future)"})
    hours = StrictFloat(required=True, validate=HOURS_RANGE, metadata={"example": 2.5})
    activity_id = Id(load_default=None, allow_none=True, metadata={
        "description": "an activity of the volunteer's centre the work belonged to"})
    activity_title = fields.String(attribute="activity.title", dump_only=True, allow_none=True)
    note = MultilineText(load_default="", validate=validate.Length(max=service.MAX_NOTE))
    status = fields.String(dump_only=True, validate=validate.OneOf(HOURS_STATUSES), metadata={
        "description": "pending until a coordinator approves or rejects it"})
    decided_by = fields.String(dump_only=True, allow_none=True)
    decided_at = TimeField(dump_only=True, allow_none=True)
    created_at = TimeField(dump_only=True)


class HoursQuerySchema(QuerySchema):
    volunteer_id = QueryId()
    centre_id = QueryId()
    activity_id = QueryId()
    status = fields.String(validate=validate.OneOf(HOURS_STATUSES))
    from_ = IsoDate(data_key="from", attribute="from", metadata={"description": "days from"})
    to = IsoDate(metadata={"description": "days before (exclusive)"})

    @validates_schema
    def _to_after_from(self, data: dict[str, Any], **kwargs: Any) -> None:
        check_end_after_start(data, "from", "to")


class SummaryQuerySchema(QuerySchema):
    volunteer_id = QueryId(metadata={"description": "coordinators: whose (volunteers: "
                                                    "their own)"})
    from_ = IsoDate(data_key="from", attribute="first")
    to = IsoDate(attribute="end", metadata={"description": "exclusive"})

    @validates_schema
    def _to_after_from(self, data: dict[str, Any], **kwargs: Any) -> None:
        check_end_after_start(data, "first", "end", names=("from", "to"))


class ActivityHoursSchema(StrictSchema):
    activity_id = fields.Integer(allow_none=True)
    title = fields.String()
    attended = fields.Float()
    logged = fields.Float()
    total = fields.Float()


class HoursSummarySchema(StrictSchema):
    volunteer_id = fields.Integer()
    first = IsoDate(data_key="from", allow_none=True)
    end = IsoDate(data_key="to", allow_none=True)
    total = fields.Float(metadata={"description": "hours given: attended + logged"})
    attended = fields.Float(metadata={"description": "hours of seats marked attended"})
    sessions_attended = fields.Integer()
    no_shows = fields.Integer()
    logged = fields.Float(metadata={"description": "approved logged hours"})
    pending = fields.Float(metadata={"description": "logged hours awaiting approval "
                                                    "(not counted)"})
    by_activity = fields.List(fields.Nested(ActivityHoursSchema))


@blp.route("")
class Hours(MethodView):
    @blp.arguments(HoursQuerySchema, location="query")
    @blp.response(200, HoursEntrySchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: PaginationParameters) -> Any:
        """Logged hours, newest day first: a volunteer's own; a coordinator's
        centre (`status=pending` is the to-do list)."""
        return paginate(service.hours_query(current_principal(), filters),
                        pagination_parameters)

    @blp.arguments(HoursEntrySchema)
    @blp.response(201, HoursEntrySchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Log hours given outside a planned session. A volunteer's entry is
        pending until a coordinator approves it; a coordinator's (for one of
        the centre's volunteers) is approved at once. 422 naming `hours` when
        the day's entries would pass 24 hours."""
        return service.log_hours(current_principal(), data)


@blp.route("/summary")
class Summary(MethodView):
    @blp.arguments(SummaryQuerySchema, location="query")
    @blp.response(200, HoursSummarySchema)
    def get(self, query: dict[str, Any]) -> Any:
        """Hours a volunteer gave: seats marked attended plus approved logged
        hours (never the plan), by activity; pending hours apart."""
        return service.volunteer_hours(current_principal(), query.get("volunteer_id"),
                                       query.get("first"), query.get("end"))


@blp.route("/<int:entry_id>")
class HoursEntry(MethodView):
    @blp.response(200, HoursEntrySchema)
    def get(self, entry_id: int) -> Any:
        """One entry."""
        return service.get_hours_entry(current_principal(), entry_id)

    @blp.response(204)
    def delete(self, entry_id: int) -> None:
        """The volunteer withdraws an entry still pending (409 once decided)."""
        service.withdraw_hours(current_principal(), entry_id)


@blp.route("/<int:entry_id>:approve")
class Approve(MethodView):
    @blp.response(200, HoursEntrySchema)
    def post(self, entry_id: int) -> Any:
        """Approve a pending entry (the centre's coordinators); 409 once decided."""
        return service.decide_hours(current_principal(), entry_id, "approve")


@blp.route("/<int:entry_id>:reject")
class Reject(MethodView):
    @blp.response(200, HoursEntrySchema)
    def post(self, entry_id: int) -> Any:
        """Reject a pending entry (the centre's coordinators); 409 once decided."""
        return service.decide_hours(current_principal(), entry_id, "reject")
