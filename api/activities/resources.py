from __future__ import annotations

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from api.common import ETAG_HEADER, conditional, if_match_versions, paginate, with_etag
from api.language import requested_locale
from api.sessions.schemas import GeneratedSchema, GenerateSchema
from medsam_match.auth import current_principal
from medsam_match.services import activities as service
from medsam_match.services.session_generation import generate_sessions

from . import blp
from .schemas import ActivityFilterSchema, ActivityPatchSchema, ActivitySchema


@blp.route("")
class Activities(MethodView):
    @blp.arguments(ActivityFilterSchema, location="query")
    @blp.response(200, ActivitySchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters: PaginationParameters):  # type: ignore[no-untyped-def]
        """List the activities the token may see, by id."""
        return paginate(
            service.activities_query(current_principal(), filters), pagination_parameters
        )

    @blp.arguments(ActivitySchema)
    @blp.response(201, ActivitySchema, headers=ETAG_HEADER)
    def post(self, data):  # type: ignore[no-untyped-def]
        """Create an activity in a centre the token may write."""
        return with_etag(service.create_activity(current_principal(), data), 201)


@blp.route("/<int:activity_id>")
class ActivityById(MethodView):
    @blp.response(200, ActivitySchema, headers=ETAG_HEADER)
    def get(self, activity_id: int):  # type: ignore[no-untyped-def]
        """One activity."""
        return with_etag(service.get_activity(current_principal(), activity_id))

    @blp.arguments(ActivityPatchSchema)
    @blp.response(200, ActivitySchema, headers=ETAG_HEADER)
    @conditional(blp)
    def patch(self, data, activity_id: int):  # type: ignore[no-untyped-def]
        """Change some fields; `roles`, when given, replaces the whole list.

        409 if a dropped role is still held by proposed or confirmed assignments.
        """
        return with_etag(
            service.update_activity(current_principal(), activity_id, data, if_match_versions())
        )

    @blp.response(204)
    @conditional(blp)
    def delete(self, activity_id: int):  # type: ignore[no-untyped-def]
        """Delete an activity without sessions; 409 (saying how many) otherwise."""
        service.delete_activity(current_principal(), activity_id, if_match_versions())


@blp.route("/<int:activity_id>/sessions:generate")
class GenerateSessions(MethodView):
    @blp.arguments(GenerateSchema)
    @blp.response(201, GeneratedSchema)
    def post(self, data, activity_id: int):  # type: ignore[no-untyped-def]
        """Create a session for every weekly time in [from, to), local time.

        Weekly times are wall-clock times in the municipality's time zone (17:00
        stays 17:00 across daylight-saving changes). At most 500 sessions and a
        window of at most 366 days per call. Times at which the activity already
        has a session (even a cancelled one) are skipped, so repeating a call
        creates no duplicates. All or nothing: a call that fails creates no
        session.

        Public holidays of the municipality's country (Norway, Denmark), and
        Christmas and New Year's Eve, are left out unless `skip_holidays` is
        false; `skipped` lists them with the holiday's name (in the
        Accept-Language if it is nb, nn, da or en, else the municipality's).
        """
        return generate_sessions(current_principal(), activity_id, data, requested_locale())
