"""GET /api/v1/health: is the service up and can it reach its database."""

from flask_smorest import Blueprint

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="Liveness and readiness")

from . import resources  # noqa: E402,F401
