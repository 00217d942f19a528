"""/api/v1/places: meeting places (møteplasser / mødesteder)."""

from flask_smorest import Blueprint

blp = Blueprint(
    "places", __name__, url_prefix="/api/v1/places",
    description="Meeting places of a municipality, used by its centres' sessions",
)

from . import resources  # noqa: E402,F401
