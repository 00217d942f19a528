"""/api/v1/swaps: seats offered for a swap and not yet taken over."""

from flask_smorest import Blueprint

blp = Blueprint(
    "pending_swaps",
    __name__,
    url_prefix="/api/v1/swaps",
    description="Pending swaps: confirmed seats their volunteers offer to others; the "
                "coordinator sees them and may cancel one",
)

from . import resources  # noqa: E402,F401
