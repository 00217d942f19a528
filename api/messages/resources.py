from __future__ import annotations

from typing import Any

from flask.views import MethodView

from api.common import paginate
from medsam_match.auth import current_principal
from medsam_match.services.notifications import listing as service

from . import blp
from .schemas import MessageQuerySchema, MessageSchema


@blp.route("")
class Messages(MethodView):
    @blp.arguments(MessageQuerySchema, location="query")
    @blp.response(200, MessageSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: Any) -> Any:
        """Messages, newest first: a coordinator sees its centre's, a volunteer
        its own (?status=failed, ?channel=, ?kind=, ?volunteer_id=, ?centre_id=)."""
        return paginate(service.messages_query(current_principal(), filters),
                        pagination_parameters)


@blp.route("/<int:message_id>")
class MessageById(MethodView):
    @blp.response(200, MessageSchema)
    def get(self, message_id: int) -> Any:
        """One message and its delivery state."""
        return service.get_message(current_principal(), message_id)


@blp.route("/<int:message_id>:resend")
class ResendMessage(MethodView):
    @blp.response(200, MessageSchema)
    def post(self, message_id: int) -> Any:
        """Queue a failed message again, due now, with its tries counted from
        zero (409 unless it is failed; 403 for a volunteer)."""
        return service.resend_message(current_principal(), message_id)
