"""/api/v1/assignments: who does what where; volunteers confirm or decline."""

from flask_smorest import Blueprint

blp = Blueprint(
    "assignments",
    __name__,
    url_prefix="/api/v1/assignments",
    description="Assignments: a volunteer in a role at a session; confirm, decline, lock",
)

from . import resources  # noqa: E402,F401
