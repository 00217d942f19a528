from __future__ import annotations

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from api.common import ETAG_HEADER, conditional, if_match_versions, paginate, with_etag
from medsam_match.auth import current_principal
from medsam_match.services import own_profile
from medsam_match.services import volunteers as service

from . import blp
from .schemas import (
    VolunteerAssignmentFilterSchema,
    VolunteerAssignmentSchema,
    VolunteerBodySchema,
    VolunteerFilterSchema,
    VolunteerPatchSchema,
    VolunteerSchema,
)


@blp.route("")
class Volunteers(MethodView):
    @blp.arguments(VolunteerFilterSchema, location="query")
    @blp.response(200, VolunteerSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters: PaginationParameters):  # type: ignore[no-untyped-def]
        """List the volunteers the token may see, by id (a volunteer token: itself).

        Erased volunteers are left out; an admin may ask for them with
        `include_erased=true`.
        """
        return paginate(
            service.volunteers_query(current_principal(), filters), pagination_parameters
        )

    @blp.arguments(VolunteerBodySchema)
    @blp.response(201, VolunteerSchema, headers=ETAG_HEADER)
    def post(self, data):  # type: ignore[no-untyped-def]
        """Add a volunteer to a centre the token may write."""
        return with_etag(service.create_volunteer(current_principal(), data), 201)


@blp.route("/<int:volunteer_id>")
class VolunteerById(MethodView):
    @blp.response(200, VolunteerSchema, headers=ETAG_HEADER)
    def get(self, volunteer_id: int):  # type: ignore[no-untyped-def]
        """One volunteer."""
        return with_etag(service.get_volunteer(current_principal(), volunteer_id))

    @blp.arguments(VolunteerPatchSchema)
    @blp.response(200, VolunteerSchema, headers=ETAG_HEADER)
    @conditional(blp)
    def patch(self, data, volunteer_id: int):  # type: ignore[no-untyped-def]
        """Change some fields; a list given replaces the stored list.

        A volunteer token may change its own profile and availability, not
        `centre_id` or `active` (403). `preferred_activity_ids` must be
        activities of the volunteer's centre (also after a move). When a
        volunteer's change means they no longer fit a coming seat, the
        centre's coordinators get a message, as from the profile page.
        """
        principal = current_principal()
        if principal.role == "volunteer" and principal.volunteer_id == volunteer_id:
            # The same save as /my/profile: coordinators are told of the
            # coming seats the change no longer fits.
            saved = own_profile.save_own_profile(principal, data, if_match_versions())
            return with_etag(saved.volunteer)
        return with_etag(
            service.update_volunteer(principal, volunteer_id, data, if_match_versions())
        )

    @blp.response(204)
    @conditional(blp)
    def delete(self, volunteer_id: int):  # type: ignore[no-untyped-def]
        """Erase the volunteer (GDPR).

        Personal fields are wiped and the volunteer's tokens revoked; future
        proposed and confirmed assignments are cancelled; past assignments
        stay, anonymous, so the hours given still count.
        """
        service.erase_volunteer(current_principal(), volunteer_id, if_match_versions())


@blp.route("/<int:volunteer_id>/assignments")
class VolunteerAssignments(MethodView):
    @blp.arguments(VolunteerAssignmentFilterSchema, location="query")
    @blp.response(200, VolunteerAssignmentSchema(many=True))
    @blp.paginate()
    def get(self, filters, volunteer_id: int, pagination_parameters: PaginationParameters):  # type: ignore[no-untyped-def]
        """The volunteer's assignments, soonest first (a volunteer token: its own only)."""
        return paginate(
            service.volunteer_assignments_query(current_principal(), volunteer_id, filters),
            pagination_parameters,
        )
