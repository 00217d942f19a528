from __future__ import annotations

from typing import Any

from flask.views import MethodView

from api.common import ETAG_HEADER, conditional, if_match_versions, paginate, with_etag
from medsam_match.auth import current_principal
from medsam_match.services import centres as service

from . import blp
from .schemas import CentrePatchSchema, CentreQuerySchema, CentreSchema


@blp.route("")
class Centres(MethodView):
    @blp.arguments(CentreQuerySchema, location="query")
    @blp.response(200, CentreSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: Any) -> Any:
        """List the centres the token may see (?municipality_id=, ?active=)."""
        return paginate(service.list_centres(current_principal(), filters), pagination_parameters)

    @blp.arguments(CentreSchema)
    @blp.response(201, CentreSchema, headers=ETAG_HEADER)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a centre (admin, or a token of its municipality)."""
        return with_etag(service.create_centre(current_principal(), data), 201)


@blp.route("/<int:centre_id>")
class CentreById(MethodView):
    @blp.response(200, CentreSchema, headers=ETAG_HEADER)
    def get(self, centre_id: int) -> Any:
        """One centre."""
        return with_etag(service.get_centre(current_principal(), centre_id))

    @blp.arguments(CentrePatchSchema)
    @blp.response(200, CentreSchema, headers=ETAG_HEADER)
    @conditional(blp)
    def patch(self, data: dict[str, Any], centre_id: int) -> Any:
        """Change some fields of a centre (admin, or a token of its municipality)."""
        return with_etag(
            service.update_centre(current_principal(), centre_id, data, if_match_versions())
        )

    @blp.response(204)
    @conditional(blp)
    def delete(self, centre_id: int) -> None:
        """Delete a centre without volunteers, activities or runs; 409 otherwise."""
        service.delete_centre(current_principal(), centre_id, if_match_versions())
