"""/api/v1/assignments/{id}:offer, :take-over, :withdraw-offer: swaps."""

from flask_smorest import Blueprint

blp = Blueprint(
    "swaps",
    __name__,
    url_prefix="/api/v1/assignments",
    description="Swaps: a volunteer offers a confirmed seat; another takes it over",
)

from . import resources  # noqa: E402,F401
