from __future__ import annotations

from typing import Any

from flask.views import MethodView

from api.common import ETAG_HEADER, conditional, if_match_versions, paginate, with_etag
from medsam_match.auth import current_principal
from medsam_match.services import municipalities as service

from . import blp
from .schemas import MunicipalityPatchSchema, MunicipalityQuerySchema, MunicipalitySchema


@blp.route("")
class Municipalities(MethodView):
    @blp.arguments(MunicipalityQuerySchema, location="query")
    @blp.response(200, MunicipalitySchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: Any) -> Any:
        """List the municipalities the token may see (?country=NO|DK)."""
        return paginate(service.list_municipalities(current_principal(), filters), pagination_parameters)

    @blp.arguments(MunicipalitySchema)
    @blp.response(201, MunicipalitySchema, headers=ETAG_HEADER)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a municipality (admin only)."""
        return with_etag(service.create_municipality(current_principal(), data), 201)


@blp.route("/<int:municipality_id>")
class MunicipalityById(MethodView):
    @blp.response(200, MunicipalitySchema, headers=ETAG_HEADER)
    def get(self, municipality_id: int) -> Any:
        """One municipality."""
        return with_etag(service.get_municipality(current_principal(), municipality_id))

    @blp.arguments(MunicipalityPatchSchema)
    @blp.response(200, MunicipalitySchema, headers=ETAG_HEADER)
    @conditional(blp)
    def patch(self, data: dict[str, Any], municipality_id: int) -> Any:
        """Change some fields of a municipality (admin, or its own municipality token)."""
        return with_etag(
            service.update_municipality(current_principal(), municipality_id, data, if_match_versions())
        )

    @blp.response(204)
    @conditional(blp)
    def delete(self, municipality_id: int) -> None:
        """Delete a municipality without centres or places (admin only); 409 otherwise."""
        service.delete_municipality(current_principal(), municipality_id, if_match_versions())
