from typing import Any

from marshmallow import fields, validate

from api.common import (
    MAX_INT,
    QuerySchema,
    StrictBoolean,
    StrictSchema,
    Text,
    TimeField,
    WholeNumber,
    body_fields,
    validate_time_zone,
)

COUNTRIES = ("NO", "DK")
LOCALES = ("nb", "nn", "da", "en")


class MunicipalitySchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    country = Text(required=True, validate=validate.OneOf(COUNTRIES))
    timezone = Text(
        validate=validate_time_zone,
        metadata={"description": "IANA zone; default Europe/Oslo (NO) or Europe/Copenhagen (DK)"},
    )
    locale = Text(
        validate=validate.OneOf(LOCALES),
        metadata={"description": "nb, nn, da or en; default nb (NO) or da (DK)"},
    )
    population = WholeNumber(
        allow_none=True, validate=validate.Range(min=1, max=MAX_INT),
        metadata={"description": "inhabitants, for volunteers per 1,000 inhabitants"},
    )
    network_opt_in = StrictBoolean(
        metadata={"description": "share figures (suppressed, anonymous) with the other "
                                 "opted-in municipalities in the learning network; default false"},
    )
    created_at = TimeField(dump_only=True)
    updated_at = TimeField(dump_only=True)


class MunicipalityQuerySchema(QuerySchema):
    country = Text(validate=validate.OneOf(COUNTRIES))


class MunicipalityPatchSchema(MunicipalitySchema):
    """Any field may change; none is required."""


    def __init__(self, **kwargs: Any) -> None:
        # Any top-level field may be left out; a nested object given is checked whole.
        super().__init__(partial=body_fields(MunicipalitySchema), **kwargs)
