"""Manual assignments: POST /api/v1/assignments and .../{id}:remove."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import fields, validate

from api.common import Id, MultilineText, StrictBoolean, StrictSchema, Text
from medsam_match.auth import current_principal
from medsam_match.services import manual_assignments as service

from . import blp
from .schemas import AssignmentSchema


class ManualAssignmentSchema(StrictSchema):
    session_id = Id(required=True)
    volunteer_id = Id(required=True)
    role = Text(required=True, validate=validate.Length(min=1, max=100))
    override = StrictBoolean(
        load_default=False,
        metadata={"description": "overrule availability and travel distance (only those); "
                                 "needs a reason, which is recorded"},
    )
    reason = MultilineText(load_default=None, allow_none=True,
                           validate=validate.Length(max=service.MAX_REASON))


class ManualAssignmentOutSchema(AssignmentSchema):
    overridden = fields.List(fields.String(), dump_only=True,
                             metadata={"description": "rules overruled (availability, distance)"})


def create(data: dict[str, Any]) -> Any:
    """Put a volunteer in a role of a session by hand.

    The assignment is locked (no run moves it) and proposed (the volunteer
    confirms). Every hard rule the solver keeps is checked with the solver's
    own eligibility and conflict logic; a broken rule answers 422 naming it
    (e.g. `breaks rule languages: ...`). With `override: true` and a
    `reason`, availability and travel distance may be overruled; the reason
    and who gave it are recorded."""
    row = service.assign(current_principal(), session_id=data["session_id"],
                         volunteer_id=data["volunteer_id"], role=data["role"],
                         override=data["override"], reason=data.get("reason"))
    found = service.override_of(row.id)
    row.overridden = list(found.rules) if found else []
    return row


@blp.route("/<int:assignment_id>:remove")
class AssignmentRemove(MethodView):
    @blp.response(200, AssignmentSchema)
    def post(self, assignment_id: int) -> Any:
        """Take the person out of the session (coordinators): the assignment
        becomes cancelled. 409 if it is declined or cancelled already."""
        return service.remove(current_principal(), assignment_id)
