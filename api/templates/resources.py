from __future__ import annotations

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from api.common import (
    Id,
    QuerySchema,
    StrictBoolean,
    StrictSchema,
    Text,
    TimeField,
)
from medsam_match.auth import current_principal
from medsam_match.extensions import db
from medsam_match.services import templates as service

from . import blp

LOCALES = ("nb", "nn", "da", "en")


class TemplateSchema(Schema):
    id = fields.Integer()
    source_municipality = fields.String(attribute="source_name")
    country = fields.String()
    language = fields.String()
    title = fields.String()
    description = fields.String()
    interests = fields.List(fields.String())
    needs = fields.List(fields.String(), metadata={"description": "place features it needs"})
    roles = fields.List(fields.Dict(), metadata={
        "description": "[{role, min, max, skills, languages, certificate}]"})
    pattern = fields.Dict(allow_none=True, metadata={
        "description": "typical week: {weekday 0-6, start HH:MM local, minutes}"})
    achieved = fields.Dict(metadata={
        "description": "the year before publishing: sessions_held, fill_rate, "
                       "participants_reached, hours_given, volunteers_engaged; \"< 5\" "
                       "where a figure rests on fewer than 5 volunteers"})
    created_at = TimeField()


class PublishSchema(StrictSchema):
    activity_id = Id(required=True)
    language = Text(validate=validate.OneOf(LOCALES),
                    metadata={"description": "default: the municipality's"})
    title = Text(validate=validate.Length(min=1, max=200))
    description = Text(validate=validate.Length(max=5000))


class TemplateQuerySchema(QuerySchema):
    interest = Text()
    country = Text(validate=validate.OneOf(("NO", "DK")))
    language = Text(validate=validate.OneOf(LOCALES))
    q = Text(validate=validate.Length(max=100))
    size = Text(validate=validate.OneOf(("small", "medium", "large")), metadata={
        "description": "seats a session needs: small 1-3, medium 4-8, large 9 or more"})


class ImportSchema(StrictSchema):
    centre_id = Id(required=True)
    adapt = StrictBoolean(load_default=False, metadata={
        "description": "drop role skills no volunteer of the centre has (and say so) "
                       "instead of refusing"})
    place_ids = fields.List(Id(), load_default=list, metadata={
        "description": "places of the municipality to use: the answer notes the needs "
                       "each lacks"})
    title = Text(validate=validate.Length(min=1, max=200))


class ImportedSchema(Schema):
    template_id = fields.Integer()
    activity_id = fields.Integer(attribute="activity.id")
    title = fields.String(attribute="activity.title")
    centre_id = fields.Integer(attribute="activity.centre_id")
    roles = fields.List(fields.Dict(), attribute="activity.roles")
    adapted = fields.List(fields.Dict(), metadata={
        "description": "[{role, dropped_skills}]: requirements dropped with adapt"})
    notes = fields.List(fields.String())
    pattern = fields.Dict(allow_none=True, metadata={
        "description": "the template's typical week, to generate sessions with"})


@blp.route("")
class Templates(MethodView):
    @blp.arguments(TemplateQuerySchema, location="query")
    @blp.response(200, TemplateSchema(many=True))
    def get(self, filters: dict[str, Any]) -> Any:
        """The library, newest first (staff of any municipality; at most 500):
        by interest, country, language, size or words of the title."""
        query = service.library(current_principal(), filters).limit(2000)
        found = [t for t in db.session.scalars(query) if service.matches(t, filters)]
        return found[:500]

    @blp.arguments(PublishSchema)
    @blp.response(201, TemplateSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Publish an activity of the caller's centre as a template, with its
        last year's figures (suppressed)."""
        return service.publish(current_principal(), data["activity_id"], data)


@blp.route("/<int:template_id>")
class TemplateById(MethodView):
    @blp.response(200, TemplateSchema)
    def get(self, template_id: int) -> Any:
        """One template."""
        return service.get(current_principal(), template_id)


@blp.route("/<int:template_id>:import")
class ImportTemplate(MethodView):
    @blp.arguments(ImportSchema)
    @blp.response(201, ImportedSchema)
    def post(self, data: dict[str, Any], template_id: int) -> Any:
        """Make a new activity in the caller's centre from the template (the
        template is not changed). A role needing a skill no volunteer of the
        centre has: 422 naming roles.N.skills, or with adapt the skill is
        dropped and listed in `adapted`."""
        return service.import_template(current_principal(), template_id, data)
