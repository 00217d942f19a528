from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import fields

from api.assignments.schemas import AssignmentSchema
from api.common import TimeField
from medsam_match.auth import current_principal
from medsam_match.services import swaps as service

from . import blp


class SwapAssignmentSchema(AssignmentSchema):
    swap_offered_at = TimeField(dump_only=True, allow_none=True, metadata={
        "description": "set while the volunteer offers the seat to others"})
    swap = fields.Function(lambda a: a.swap_offered_at is not None, dump_only=True)


@blp.route("/<int:assignment_id>:offer")
class Offer(MethodView):
    @blp.response(200, SwapAssignmentSchema)
    def post(self, assignment_id: int) -> Any:
        """Offer your confirmed seat to others (volunteers): it appears on
        eligible volunteers' open slots; you stay responsible until someone
        takes it over. 409 unless confirmed and not offered yet."""
        return service.offer(current_principal(), assignment_id)


@blp.route("/<int:assignment_id>:withdraw-offer")
class Withdraw(MethodView):
    @blp.response(200, SwapAssignmentSchema)
    def post(self, assignment_id: int) -> Any:
        """Cancel a pending swap (the volunteer, or the centre's coordinators)."""
        return service.withdraw(current_principal(), assignment_id)


@blp.route("/<int:assignment_id>:take-over")
class TakeOver(MethodView):
    @blp.response(201, SwapAssignmentSchema)
    def post(self, assignment_id: int) -> Any:
        """Take over a seat someone offers (volunteers of the centre who meet
        every rule): you get a confirmed, locked assignment; the original is
        cancelled at that moment and told. Of two at once, one wins; the
        other gets 409."""
        return service.take_over(current_principal(), assignment_id)
