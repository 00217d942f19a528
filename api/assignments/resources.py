from __future__ import annotations

from typing import Any

from flask.views import MethodView

from api.common import paginate
from medsam_match.auth import current_principal
from medsam_match.services import assignments as service

from . import blp, manual
from .manual import ManualAssignmentOutSchema, ManualAssignmentSchema
from .schemas import AssignmentPatchSchema, AssignmentQuerySchema, AssignmentSchema, DeclineSchema


@blp.route("")
class Assignments(MethodView):
    @blp.arguments(AssignmentQuerySchema, location="query")
    @blp.response(200, AssignmentSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: Any) -> Any:
        """List assignments, soonest first (?volunteer_id=&session_id=&status=&from=&to=)."""
        filters = dict(filters)
        filters["from"] = filters.pop("window_from", None)
        filters["to"] = filters.pop("window_to", None)
        return paginate(service.assignment_list_query(current_principal(), filters),
                        pagination_parameters)

    @blp.arguments(ManualAssignmentSchema)
    @blp.response(201, ManualAssignmentOutSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Assign a volunteer by hand (coordinators): locked, proposed, checked
        against every hard rule (422 naming a broken one); `override: true`
        with a `reason` overrules availability and travel distance only."""
        return manual.create(data)


@blp.route("/<int:assignment_id>")
class AssignmentById(MethodView):
    @blp.response(200, AssignmentSchema)
    def get(self, assignment_id: int) -> Any:
        """One assignment."""
        return service.get_assignment(current_principal(), assignment_id)

    @blp.arguments(AssignmentPatchSchema)
    @blp.response(200, AssignmentSchema)
    def patch(self, data: dict[str, Any], assignment_id: int) -> Any:
        """Lock or unlock (coordinators): a locked assignment is never moved by a run."""
        return service.set_locked(current_principal(), assignment_id, data["locked"],
                                  if_updated_at=data.get("if_updated_at"))


@blp.route("/<int:assignment_id>:confirm")
class AssignmentConfirm(MethodView):
    @blp.response(200, AssignmentSchema)
    def post(self, assignment_id: int) -> Any:
        """The volunteer (or a coordinator for them) confirms a proposed assignment."""
        return service.answer(current_principal(), assignment_id, "confirm")


@blp.route("/<int:assignment_id>:decline")
class AssignmentDecline(MethodView):
    @blp.arguments(DeclineSchema, required=False)
    @blp.response(200, AssignmentSchema)
    def post(self, data: dict[str, Any] | None, assignment_id: int) -> Any:
        """Decline (with an optional reason). A repair run for the centre is queued."""
        return service.answer(current_principal(), assignment_id, "decline",
                              (data or {}).get("reason"))
