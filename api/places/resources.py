from __future__ import annotations

from typing import Any

from flask.views import MethodView

from api.common import ETAG_HEADER, conditional, if_match_versions, paginate, with_etag
from medsam_match.auth import current_principal
from medsam_match.services import places as service

from . import blp
from .schemas import PlacePatchSchema, PlaceQuerySchema, PlaceSchema


@blp.route("")
class Places(MethodView):
    @blp.arguments(PlaceQuerySchema, location="query")
    @blp.response(200, PlaceSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: Any) -> Any:
        """List the places the token may see (?municipality_id=, ?feature=)."""
        return paginate(service.list_places(current_principal(), filters), pagination_parameters)

    @blp.arguments(PlaceSchema)
    @blp.response(201, PlaceSchema, headers=ETAG_HEADER)
    def post(self, data: dict[str, Any]) -> Any:
        """Create a place (admin, or a token of its municipality)."""
        return with_etag(service.create_place(current_principal(), data), 201)


@blp.route("/<int:place_id>")
class PlaceById(MethodView):
    @blp.response(200, PlaceSchema, headers=ETAG_HEADER)
    def get(self, place_id: int) -> Any:
        """One place."""
        return with_etag(service.get_place(current_principal(), place_id))

    @blp.arguments(PlacePatchSchema)
    @blp.response(200, PlaceSchema, headers=ETAG_HEADER)
    @conditional(blp)
    def patch(self, data: dict[str, Any], place_id: int) -> Any:
        """Change some fields of a place (admin, or a token of its municipality)."""
        return with_etag(
            service.update_place(current_principal(), place_id, data, if_match_versions())
        )

    @blp.response(204)
    @conditional(blp)
    def delete(self, place_id: int) -> None:
        """Delete a place no session uses; 409 otherwise."""
        service.delete_place(current_principal(), place_id, if_match_versions())
