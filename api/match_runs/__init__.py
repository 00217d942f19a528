"""/api/v1/match-runs: ask for a plan, follow it, read its scenario and result,
publish a dry run."""

from flask_smorest import Blueprint

blp = Blueprint(
    "match-runs",
    __name__,
    url_prefix="/api/v1/match-runs",
    description="Match runs: one solve for a centre over a window, in the background",
)

from . import resources  # noqa: E402,F401
