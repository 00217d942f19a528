from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters
from marshmallow import fields, validate

from api.common import (
    Id,
    QueryId,
    QuerySchema,
    StrictSchema,
    Text,
    TimeField,
    paginate,
)
from medsam_match.auth import current_principal
from medsam_match.services import attendance as service

from . import blp

VALUES = (*service.ATTENDANCE_VALUES, service.UNMARKED)


def _hours(assignment: Any) -> float | None:
    session = assignment.session
    if session.start is None or session.end is None:
        return None
    return round((session.end - session.start).total_seconds() / 3600, 2)


class AttendanceSchema(StrictSchema):
    assignment_id = fields.Integer(attribute="id", dump_only=True)
    volunteer_id = fields.Integer(dump_only=True)
    volunteer_name = fields.String(attribute="volunteer.name", dump_only=True, metadata={
        "description": "empty for an erased volunteer"})
    session_id = fields.Integer(dump_only=True)
    activity_id = fields.Integer(attribute="session.activity_id", dump_only=True)
    activity_title = fields.String(attribute="session.activity.title", dump_only=True)
    role = fields.String(dump_only=True)
    start = TimeField(attribute="session.start", dump_only=True)
    end = TimeField(attribute="session.end", dump_only=True)
    hours = fields.Function(_hours, dump_only=True, metadata={
        "description": "the session's length: the hours given when attended"})
    attendance = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "attended, no_show, or null (not marked)"})
    attendance_marked_at = TimeField(dump_only=True, allow_none=True)
    attendance_marked_by = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "user <id> or token <id> of the coordinator; `default` when marked "
                       "attended by the attendance_default_days setting"})


class AttendanceQuerySchema(QuerySchema):
    session_id = QueryId()
    volunteer_id = QueryId()
    centre_id = QueryId()
    activity_id = QueryId()
    from_ = TimeField(data_key="from", attribute="from",
                      metadata={"description": "sessions starting at or after this"})
    to = TimeField(metadata={"description": "sessions starting before this"})
    attendance = fields.String(validate=validate.OneOf(VALUES), metadata={
        "description": "attended, no_show or unmarked"})


class MarkSchema(StrictSchema):
    attendance = Text(required=True, allow_none=True,
                      validate=validate.OneOf(service.ATTENDANCE_VALUES,
                                              error="must be attended, no_show or null"),
                      metadata={"description": "attended, no_show, or null to clear"})
    if_attendance = Text(validate=validate.OneOf(VALUES), metadata={
        "description": "what you saw (attended, no_show or unmarked): 409 if someone marked "
                       "the seat otherwise meanwhile"})


class SessionMarkSchema(MarkSchema):
    assignment_id = Id(required=True)


class SessionMarksSchema(StrictSchema):
    session_id = Id(required=True)
    marks = fields.List(fields.Nested(SessionMarkSchema), required=True,
                        validate=validate.Length(min=1, max=500))


def _seen(data: dict[str, Any]) -> dict[str, Any]:
    if "if_attendance" not in data:
        return {}
    value = data["if_attendance"]
    return {"seen": None if value == service.UNMARKED else value}


@blp.route("")
class Attendance(MethodView):
    @blp.arguments(AttendanceQuerySchema, location="query")
    @blp.response(200, AttendanceSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: PaginationParameters) -> Any:
        """Confirmed seats of sessions that have begun (not cancelled), newest
        session first, with their attendance: a coordinator's centre, a
        volunteer's own."""
        return paginate(service.attendance_query(current_principal(), filters),
                        pagination_parameters)

    @blp.arguments(SessionMarksSchema)
    @blp.response(200, AttendanceSchema(many=True))
    def post(self, data: dict[str, Any]) -> Any:
        """Mark several seats of one session at once (the centre's
        coordinators): all or nothing. 409 when a seat was marked otherwise
        meanwhile (`if_attendance`), is not confirmed, or the session has not
        begun; 422 naming `marks.N.assignment_id` for a seat of another
        session."""
        marks = [service.Mark(m["assignment_id"], m["attendance"], **_seen(m))
                 for m in data["marks"]]
        return service.mark_session_attendance(current_principal(), data["session_id"], marks)


@blp.route("/<int:assignment_id>")
class AttendanceOfSeat(MethodView):
    @blp.response(200, AttendanceSchema)
    def get(self, assignment_id: int) -> Any:
        """One confirmed seat's attendance (404 before its session begins)."""
        return service.get_attendance(current_principal(), assignment_id)

    @blp.arguments(MarkSchema)
    @blp.response(200, AttendanceSchema)
    def put(self, data: dict[str, Any], assignment_id: int) -> Any:
        """Mark one confirmed seat attended or no_show, or clear it (null).
        Only after the session has begun; 409 otherwise, or when someone
        marked it otherwise meanwhile (`if_attendance`)."""
        return service.mark_attendance(current_principal(), assignment_id, data["attendance"],
                                       **_seen(data))
