"""/api/v1/activities: a centre's activities and the roles they need, and
`sessions:generate` to create an activity's sessions from a weekly pattern."""

from flask_smorest import Blueprint

blp = Blueprint(
    "activities",
    __name__,
    url_prefix="/api/v1/activities",
    description="Activities of a centre, with the roles their sessions need",
)

from . import resources  # noqa: E402,F401
