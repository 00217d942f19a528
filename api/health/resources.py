from __future__ import annotations

from flask.views import MethodView

from medsam_match.services.health import check_health

from . import blp
from .schemas import HealthSchema


@blp.route("")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema,
                      description="The database cannot be reached, or refuses writes")
    def get(self):  # type: ignore[no-untyped-def]
        """Health: no token needed; 503 when the database is unavailable or read-only
        (reads still work then; changes fail until it takes writes again)."""
        health = check_health()
        return health, 200 if health["status"] == "ok" else 503
