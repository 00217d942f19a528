from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters
from marshmallow import fields

from api.common import QueryId, QuerySchema, StrictSchema, TimeField, paginate
from medsam_match.auth import current_principal
from medsam_match.services import swaps as service

from . import blp


class PendingSwapSchema(StrictSchema):
    assignment_id = fields.Integer(attribute="id")
    volunteer_id = fields.Integer()
    volunteer_name = fields.String(attribute="volunteer.name")
    session_id = fields.Integer()
    activity_id = fields.Integer(attribute="session.activity_id")
    activity_title = fields.String(attribute="session.activity.title")
    role = fields.String()
    start = TimeField(attribute="session.start")
    end = TimeField(attribute="session.end")
    swap_offered_at = TimeField()


class PendingSwapQuerySchema(QuerySchema):
    centre_id = QueryId()
    session_id = QueryId()


@blp.route("")
class PendingSwaps(MethodView):
    @blp.arguments(PendingSwapQuerySchema, location="query")
    @blp.response(200, PendingSwapSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: PaginationParameters) -> Any:
        """Seats offered and not taken over yet, of sessions still to come,
        soonest first: a coordinator's centre, a volunteer's own offers. The
        original volunteer stays responsible until someone takes one over."""
        return paginate(service.pending_swaps_query(current_principal(), filters),
                        pagination_parameters)


@blp.route("/<int:assignment_id>:cancel")
class CancelSwap(MethodView):
    @blp.response(200, PendingSwapSchema)
    def post(self, assignment_id: int) -> Any:
        """Cancel a pending swap (the centre's coordinators, or the volunteer):
        the seat stays the original volunteer's. 409 when none is pending."""
        return service.cancel_swap(current_principal(), assignment_id)
