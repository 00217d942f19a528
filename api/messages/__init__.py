"""/api/v1/messages: the e-mails and SMS the service sends (the outbox),
their state, and resending a failed one."""

from flask_smorest import Blueprint

blp = Blueprint(
    "messages",
    __name__,
    url_prefix="/api/v1/messages",
    description="Messages to volunteers and coordinators (e-mail, SMS) and their delivery",
)

from . import resources  # noqa: E402,F401
