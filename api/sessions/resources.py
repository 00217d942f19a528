from __future__ import annotations

from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters

from api.common import ETAG_HEADER, conditional, if_match_versions, paginate, with_etag
from medsam_match.auth import current_principal
from medsam_match.services import sessions as service

from . import blp
from .schemas import SessionFilterSchema, SessionPatchSchema, SessionSchema


@blp.route("")
class Sessions(MethodView):
    @blp.arguments(SessionFilterSchema, location="query")
    @blp.response(200, SessionSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters: PaginationParameters):  # type: ignore[no-untyped-def]
        """List sessions, soonest first; `from`/`to` keep those overlapping [from, to)."""
        return paginate(service.sessions_query(current_principal(), filters), pagination_parameters)

    @blp.arguments(SessionSchema)
    @blp.response(201, SessionSchema, headers=ETAG_HEADER)
    def post(self, data):  # type: ignore[no-untyped-def]
        """Create a fixed (start, end, place_id) or an open (options) session."""
        return with_etag(service.create_session(current_principal(), data), 201)


@blp.route("/<int:session_id>")
class SessionById(MethodView):
    @blp.response(200, SessionSchema, headers=ETAG_HEADER)
    def get(self, session_id: int):  # type: ignore[no-untyped-def]
        """One session; times in the municipality's time zone."""
        return with_etag(service.get_session(current_principal(), session_id))

    @blp.arguments(SessionPatchSchema)
    @blp.response(200, SessionSchema, headers=ETAG_HEADER)
    @conditional(blp)
    def patch(self, data, session_id: int):  # type: ignore[no-untyped-def]
        """Change some fields. `status: cancelled` also cancels the session's
        proposed and confirmed assignments."""
        return with_etag(
            service.update_session(current_principal(), session_id, data, if_match_versions())
        )

    @blp.response(204)
    @conditional(blp)
    def delete(self, session_id: int):  # type: ignore[no-untyped-def]
        """Delete a session without assignments; 409 otherwise (cancel it instead)."""
        service.delete_session(current_principal(), session_id, if_match_versions())
