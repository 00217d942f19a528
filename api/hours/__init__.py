"""/api/v1/hours: hours volunteers log for work outside planned sessions."""

from flask_smorest import Blueprint

blp = Blueprint(
    "hours",
    __name__,
    url_prefix="/api/v1/hours",
    description="Hours: volunteers log hours given outside planned sessions (pending until a "
                "coordinator approves); the summary counts attendance plus approved hours",
)

from . import resources  # noqa: E402,F401
