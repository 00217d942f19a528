"""/api/v1/volunteers: volunteers of a centre, their availability, their own
view of themselves, and GDPR erasure (DELETE)."""

from flask_smorest import Blueprint

blp = Blueprint(
    "volunteers",
    __name__,
    url_prefix="/api/v1/volunteers",
    description="Volunteers of a centre: skills, availability, preferences; DELETE erases",
)

from . import invites, resources  # noqa: E402,F401

# isort: split
# After resources, so that /{volunteer_id} comes first among the OpenAPI paths.
from . import personal_data  # noqa: E402,F401
