"""/api/v1/reports (JSON, .csv, .xlsx) and /api/v1/network: figures for a
centre, a municipality or the learning network (services/reports.py)."""

from flask_smorest import Blueprint

blp = Blueprint(
    "reports",
    __name__,
    url_prefix="/api/v1",
    description="Figures: sessions, slots, hours, volunteers, retention, no-shows and "
                "participants for a centre, a municipality or the learning network, by "
                "week, month, quarter or year; figures resting on fewer than 5 volunteers "
                "are \"< 5\"",
)

from . import resources  # noqa: E402,F401
