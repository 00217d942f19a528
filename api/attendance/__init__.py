"""/api/v1/attendance: who came to a session, marked by the coordinator."""

from flask_smorest import Blueprint

blp = Blueprint(
    "attendance",
    __name__,
    url_prefix="/api/v1/attendance",
    description="Attendance: after a session the coordinator marks each confirmed seat "
                "attended or no-show; hours given are counted from it",
)

from . import resources  # noqa: E402,F401
