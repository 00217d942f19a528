"""/api/v1/templates: activity templates, published and imported."""

from flask_smorest import Blueprint

blp = Blueprint(
    "templates",
    __name__,
    url_prefix="/api/v1/templates",
    description="Activity templates: an activity's design (roles, pattern, place needs) with "
                "what it achieved, published by a centre for others to import",
)

from . import resources  # noqa: E402,F401
