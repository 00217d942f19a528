"""/api/v1/sessions: the occurrences of activities, fixed or open."""

from flask_smorest import Blueprint

blp = Blueprint(
    "sessions",
    __name__,
    url_prefix="/api/v1/sessions",
    description="Sessions: one occurrence of an activity, at a time and a place",
)

from . import candidates, resources  # noqa: E402,F401
