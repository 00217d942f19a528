"""POST /api/v1/volunteers/{id}/invites: a one-time sign-in link to the
volunteer's page, with a QR code of it."""

from __future__ import annotations

import base64
from typing import Any
from zoneinfo import ZoneInfo

from flask import url_for
from flask.views import MethodView
from marshmallow import Schema, fields

from medsam_match.auth import current_principal
from medsam_match.services import invites as service

from . import blp


class InviteSchema(Schema):
    id = fields.Integer()
    volunteer_id = fields.Integer()
    url = fields.String(
        metadata={"description": "the one-time sign-in link: works once, until expires_at"}
    )
    expires_at = fields.String(metadata={"description": "until when it works, local time"})
    qr_svg = fields.String(metadata={"description": "the link as a QR code, an SVG document"})
    qr_png_url = fields.String(
        metadata={"description": "data: URL of the QR code as PNG, for printing"}
    )
    sent_to = fields.List(fields.String(), metadata={
        "description": "where the link also goes out by message: email and/or sms (the "
                       "volunteer's addresses); empty when it has none"})


def invite_answer(new: service.NewInvite) -> dict[str, Any]:
    """What the coordinator gets: the link (shown only now) and its QR code."""
    url = url_for("web.invite", code=new.code, _external=True)
    zone = ZoneInfo(new.invite.volunteer.centre.municipality.timezone)
    png = base64.b64encode(service.qr_png(url)).decode("ascii")
    return {
        "id": new.invite.id,
        "volunteer_id": new.invite.volunteer_id,
        "url": url,
        "expires_at": new.invite.expires_at.astimezone(zone).replace(microsecond=0).isoformat(),
        "qr_svg": service.qr_svg(url),
        "qr_png_url": f"data:image/png;base64,{png}",
        "sent_to": list(new.sent_to),
    }


@blp.route("/<int:volunteer_id>/invites")
class VolunteerInvites(MethodView):
    @blp.response(201, InviteSchema)
    def post(self, volunteer_id: int) -> Any:
        """Make a one-time sign-in link to the volunteer's page (/my/).

        The link works once and for 7 days; opening it and tapping "Sign in"
        signs the volunteer in on that device. It is shown only in this
        answer (only a hash is kept), with a QR code to print or show, and
        is sent to the volunteer's e-mail address and mobile number when it
        has them (`sent_to`).
        Coordinators of the volunteer's centre, its municipality and admins
        may make one; 404 for a volunteer outside the token's scope.
        """
        return invite_answer(service.create_invite(current_principal(), volunteer_id))
