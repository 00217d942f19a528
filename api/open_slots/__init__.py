"""/api/v1/open-slots: seats a volunteer may take themselves."""

from flask_smorest import Blueprint

blp = Blueprint(
    "open_slots",
    __name__,
    url_prefix="/api/v1/open-slots",
    description="Open slots: free seats (and seats offered as swaps) of the centre's coming "
                "sessions that a volunteer may take, by the solver's own rules",
)

from . import resources  # noqa: E402,F401
