from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields

from api.assignments.schemas import AssignmentSchema
from api.common import QueryId, QuerySchema, TimeField
from medsam_match.auth import current_principal
from medsam_match.services import open_slots as service

from . import blp


class OpenSlotQuerySchema(QuerySchema):
    volunteer_id = QueryId(metadata={"description": "coordinators: whose open slots "
                                                    "(volunteers see their own)"})


class OpenSlotSchema(Schema):
    session_id = fields.Integer()
    activity_id = fields.Integer()
    title = fields.String()
    start = TimeField()
    end = TimeField()
    place = fields.String(allow_none=True)
    role = fields.String()
    free = fields.Integer(metadata={"description": "free seats below the role's maximum "
                                                   "(0 for a seat offered as a swap)"})
    interests = fields.List(fields.String(), metadata={
        "description": "the activity's interests the volunteer shares (why it suits them)"})
    preferred = fields.Boolean(metadata={"description": "the volunteer prefers this activity"})
    distance_km = fields.Float(allow_none=True)
    fit = fields.Float(metadata={"description": "what it adds to the plan's score"})
    swap = fields.Boolean(attribute="is_swap")
    swap_assignment_id = fields.Integer(allow_none=True, metadata={
        "description": "a swap: take it with POST /api/v1/assignments/{id}:take-over"})


@blp.route("")
class OpenSlots(MethodView):
    @blp.arguments(OpenSlotQuerySchema, location="query")
    @blp.response(200, OpenSlotSchema(many=True))
    def get(self, query: dict[str, Any]) -> Any:
        """The seats of the centre's sessions in the coming four weeks that the
        volunteer may take, soonest first: a role below its maximum, or a seat
        someone offers as a swap, and every hard rule the solver keeps
        (availability, skills, languages, certificate, travel distance,
        overlaps, weekly limits) met. Activities with self sign-up off are
        left out."""
        return service.open_slots(current_principal(), query.get("volunteer_id"))


@blp.route("/<int:session_id>/<string:role>:take")
class TakeOpenSlot(MethodView):
    @blp.response(201, AssignmentSchema)
    def post(self, session_id: int, role: str) -> Any:
        """Take a free seat (volunteers): the assignment is created confirmed
        and locked. 409 when the role is full (someone took the last seat) or
        a rule excludes the volunteer (the rule is named); 403 when self
        sign-up is off for the activity; 422 for an unknown role."""
        return service.take(current_principal(), session_id, role)
