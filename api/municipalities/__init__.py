"""/api/v1/municipalities: the tenants."""

from flask_smorest import Blueprint

blp = Blueprint(
    "municipalities", __name__, url_prefix="/api/v1/municipalities",
    description="Municipalities (kommuner), the tenants; each has its time zone and locale",
)

from . import resources  # noqa: E402,F401
