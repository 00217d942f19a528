"""/api/v1/centres: volunteer centres (frivilligsentraler / frivilligcentre)."""

from flask_smorest import Blueprint

blp = Blueprint(
    "centres", __name__, url_prefix="/api/v1/centres",
    description="Volunteer centres of a municipality",
)

from . import resources  # noqa: E402,F401
