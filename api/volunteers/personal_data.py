"""GET /api/v1/volunteers/{id}/export and the volunteer's erasure request."""

from __future__ import annotations

import json
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest.pagination import PaginationParameters
from marshmallow import fields

from api.common import QueryId, QuerySchema, StrictSchema, TimeField, paginate
from medsam_match.auth import current_principal
from medsam_match.services import erasure
from medsam_match.services import export as export_service

from . import blp


class ErasureStateSchema(StrictSchema):
    id = fields.Integer()
    centre_id = fields.Integer()
    name = fields.String(metadata={"description": "empty once erased"})
    erasure_requested_at = TimeField(allow_none=True, metadata={
        "description": "when the volunteer asked to be erased (null: no request pending)"})
    erased_at = TimeField(allow_none=True)


class ErasureRequestQuerySchema(QuerySchema):
    centre_id = QueryId()


@blp.route("/<int:volunteer_id>/export")
class Export(MethodView):
    @blp.response(200, description="all personal data held about the volunteer "
                                   "(medsam-personal-data/1), as a JSON download")
    def get(self, volunteer_id: int) -> Any:
        """Everything the service holds about the volunteer (GDPR access and
        portability): profile, availability and away periods, assignments
        with their attendance, logged hours, messages sent to them, sign-ins
        and tokens (without secrets), and what planning runs were told about
        them. A volunteer: only itself; coordinators: their centre's."""
        document = export_service.export_volunteer(current_principal(), volunteer_id)
        body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
        return Response(body, mimetype="application/json", headers={
            "Content-Disposition":
                f'attachment; filename="medsam-personal-data-{volunteer_id}.json"',
            "Cache-Control": "no-store"})


@blp.route("/erasure-requests")
class ErasureRequests(MethodView):
    @blp.arguments(ErasureRequestQuerySchema, location="query")
    @blp.response(200, ErasureStateSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: PaginationParameters) -> Any:
        """Volunteers who asked to be erased and are not yet, oldest request
        first (a coordinator's centre): confirm with :erase."""
        return paginate(erasure.erasure_requests_query(current_principal(), filters),
                        pagination_parameters)


@blp.route("/<int:volunteer_id>:request-erasure")
class RequestErasure(MethodView):
    @blp.response(200, ErasureStateSchema)
    def post(self, volunteer_id: int) -> Any:
        """The volunteer asks to be erased. A coordinator of the centre
        confirms (POST :erase), unless the installation erases at once
        (`erasure_without_confirmation`): then `erased_at` is set and the
        volunteer's tokens stop working. Asking twice changes nothing."""
        return erasure.request_erasure(current_principal(), volunteer_id)


@blp.route("/<int:volunteer_id>:withdraw-erasure-request")
class WithdrawErasureRequest(MethodView):
    @blp.response(200, ErasureStateSchema)
    def post(self, volunteer_id: int) -> Any:
        """The volunteer takes the request back (409 when none is pending)."""
        return erasure.withdraw_erasure_request(current_principal(), volunteer_id)


@blp.route("/<int:volunteer_id>:erase")
class ConfirmErasure(MethodView):
    @blp.response(204)
    def post(self, volunteer_id: int) -> None:
        """A coordinator confirms a volunteer's erasure request: the same
        erasure as DELETE (hours stay, anonymous). 409 when the volunteer has
        not asked."""
        erasure.confirm_erasure(current_principal(), volunteer_id)
