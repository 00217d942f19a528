"""GET /api/v1/sessions/{id}/candidates: who could fill each role, and why not the others."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.views import MethodView
from marshmallow import Schema, fields

from medsam_match.auth import current_principal
from medsam_match.services import candidates as service

from . import blp


class CandidateSchema(Schema):
    volunteer_id = fields.Integer()
    name = fields.String()
    fit = fields.Float(metadata={"description": "what adding them adds to the plan's score; "
                                                "higher fits better"})
    interest = fields.Boolean(metadata={"description": "shares an interest with the activity"})
    preferred = fields.Boolean(metadata={"description": "named this activity as preferred"})
    knows_activity = fields.Boolean(
        metadata={"description": "already in a session of this activity in the plan"})
    distance_km = fields.Float(allow_none=True)
    hours_this_week = fields.Float()


class ExcludedSchema(Schema):
    volunteer_id = fields.Integer()
    name = fields.String()
    rule = fields.String(metadata={"description": "the first rule that excludes them: one of "
                                                  + ", ".join(service.EXCLUDING_RULES)})
    rules = fields.List(fields.String(), metadata={"description": "every rule that excludes them"})


class RoleCandidatesSchema(Schema):
    role = fields.String()
    minimum = fields.Integer()
    maximum = fields.Integer()
    filled = fields.Integer()
    open = fields.Boolean(metadata={"description": "fewer people than the maximum"})
    candidates = fields.List(fields.Nested(CandidateSchema),
                             metadata={"description": "best fit first"})
    excluded = fields.List(fields.Nested(ExcludedSchema))


@blp.route("/<int:session_id>/candidates")
class SessionCandidates(MethodView):
    @blp.response(200, RoleCandidatesSchema(many=True))
    def get(self, session_id: int) -> Any:
        """For each role: the volunteers who may take it, best fit first, and
        for everyone else the rule that excludes them (not available, travel
        distance, missing skill, language or certificate, busy at the same
        time, weekly limit, declined before, already in the session).
        Coordinators and above; 404 outside the caller's scope."""
        roles = service.session_candidates(current_principal(), session_id)
        # Written out directly (the schemas above document it, and a test holds
        # the two equal): a big centre lists every volunteer for every role,
        # and the schema's generic dump would cost as much as the rest.
        return jsonify([as_json(role) for role in roles])


def as_json(role: service.RoleCandidates) -> dict[str, Any]:
    """What RoleCandidatesSchema dumps, for one role."""
    return {
        "role": role.role, "minimum": role.minimum, "maximum": role.maximum,
        "filled": role.filled, "open": role.open,
        "candidates": [
            {"volunteer_id": c.volunteer_id, "name": c.name, "fit": float(c.fit),
             "interest": c.interest, "preferred": c.preferred,
             "knows_activity": c.knows_activity,
             "distance_km": None if c.distance_km is None else float(c.distance_km),
             "hours_this_week": float(c.hours_this_week)}
            for c in role.candidates
        ],
        "excluded": [
            {"volunteer_id": e.volunteer_id, "name": e.name, "rule": e.rule,
             "rules": list(e.rules)}
            for e in role.excluded
        ],
    }
