"""Every resource refuses the same bad input the same way.

The body schemas of every write (PATCH of each resource, POST of runs, of
sessions:generate and of a decline) are walked field by field; each field
gets the wrong values its type must refuse ("yes" for a boolean, "2" for a
number, a tab in a name, a time without offset or in year 1051, ...). Every
one is a 422 naming exactly that field (its path, for nested ones), and
nothing stored changes. A second test shows that every body field is one of
the shared types of api/common.py, so a new field cannot slip past this.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from marshmallow import Schema, fields

from api import common
from api.activities.schemas import ActivityPatchSchema, ActivitySchema
from api.assignments.schemas import AssignmentPatchSchema, DeclineSchema
from api.centres.schemas import CentrePatchSchema, CentreSchema
from api.match_runs.schemas import MatchRunCreateSchema
from api.municipalities.schemas import MunicipalityPatchSchema, MunicipalitySchema
from api.places.schemas import PlacePatchSchema, PlaceSchema
from api.sessions.schemas import ClockTimeField, GenerateSchema, SessionPatchSchema, SessionSchema
from api.volunteers.schemas import VolunteerBodySchema, VolunteerPatchSchema
from medsam_match.extensions import db
from medsam_match.models import (
    Activity,
    Assignment,
    Centre,
    MatchRun,
    Municipality,
    Place,
    Session,
    Volunteer,
)
from tests.api.conftest import assert_problem, auth, new_activity, rows

# (name, method, schema, model whose rows must not change)
WRITES: list[tuple[str, str, type[Schema], Any]] = [
    ("municipality", "PATCH", MunicipalityPatchSchema, Municipality),
    ("centre", "PATCH", CentrePatchSchema, Centre),
    ("place", "PATCH", PlacePatchSchema, Place),
    ("volunteer", "PATCH", VolunteerPatchSchema, Volunteer),
    ("activity", "PATCH", ActivityPatchSchema, Activity),
    ("session", "PATCH", SessionPatchSchema, Session),
    ("assignment", "PATCH", AssignmentPatchSchema, Assignment),
    ("decline", "POST", DeclineSchema, Assignment),
    ("match_run", "POST", MatchRunCreateSchema, MatchRun),
    ("generate", "POST", GenerateSchema, Session),
]
# The create (POST) schemas: same field types as their PATCH, checked by the walk below.
CREATE_SCHEMAS = [
    MunicipalitySchema, CentreSchema, PlaceSchema, VolunteerBodySchema, ActivitySchema,
    SessionSchema,
]

LATER = "2027-01-05T17:00:00+01:00"
LATER_END = "2027-01-05T19:00:00+01:00"
# A valid element of each list of objects, so that one of its fields can be spoilt.
ELEMENTS: dict[str, dict[str, Any]] = {
    "certificates": {"kind": "police", "valid_until": "2027-06-30"},
    "weekly_availability": {"weekday": 1, "start": "17:00", "end": "19:00"},
    "unavailable": {"start": LATER, "end": LATER_END},
    "roles": {"role": "host", "min": 1, "max": 2, "skills": [], "languages": [],
              "certificate": None},
    "options": {"start": LATER, "end": LATER_END, "place_id": None, "penalty": 0.0},
    "busy": {"start": LATER, "end": LATER_END},
    "weekly": {"weekday": 1, "start": "17:00", "end": "19:00"},
}
GENERATE_OPTION = {"place_id": None, "penalty": 0.0}

TEXT_BAD = ["Kari\x00", 5, "Kari\u0007"]
LINE_BAD = ["Kari\tNordmann", "Kari\nNordmann"]


def bad_values(field: fields.Field) -> list[Any]:
    """The wrong values a field of this type must refuse."""
    if isinstance(field, common.StrictBoolean):
        return ["yes", "true", 1, 0]
    if isinstance(field, common.WholeNumber):
        return ["2", 1.5, True]
    if isinstance(field, common.StrictFloat):
        return ["2", True]
    if isinstance(field, common.TimeField):
        return ["2026-12-08T17:00:00", "1051-01-01T00:00:00+00:00", "2418-01-01T00:00:00+00:00",
                "tomorrow", 1700000000]
    if isinstance(field, common.IsoDate):
        return ["2026-13-01", "1051-01-01", 20270630]
    if isinstance(field, common.LanguageCode):
        return ["norsk", 5]
    if isinstance(field, ClockTimeField):
        return ["25:00", "5pm", 17]
    if isinstance(field, common.MultilineText):
        return TEXT_BAD
    if isinstance(field, common.Text):
        return TEXT_BAD + LINE_BAD
    if isinstance(field, fields.List | fields.Nested):
        return ["not a list or object"]
    raise AssertionError(f"{field!r} is not a shared field type of api/common.py")


def load_fields(schema: Schema | type[Schema]) -> dict[str, fields.Field]:
    instance = schema() if isinstance(schema, type) else schema
    return {
        field.data_key or name: field
        for name, field in instance.fields.items()
        if not field.dump_only
    }


def cases() -> list[tuple[str, str, list[Any]]]:
    """(write, field path, bad values) for every body field of every write."""
    found = []
    for name, _, schema, _ in WRITES:
        for key, field in load_fields(schema).items():
            found.append((name, key, bad_values(field)))
            inner = field.inner if isinstance(field, fields.List) else None
            if isinstance(inner, fields.Nested):
                for sub_key, sub_field in load_fields(inner.schema).items():
                    found.append((name, f"{key}.0.{sub_key}", bad_values(sub_field)))
            elif inner is not None:
                found.append((name, f"{key}.0", bad_values(inner)))
    return found


def body_for(name: str, path: str, value: Any, base: dict[str, Any]) -> dict[str, Any]:
    """The write's valid base body with the value at `path` spoilt."""
    body = dict(base)
    top, _, rest = path.partition(".0.")
    if path.endswith(".0"):
        body[path[:-2]] = [value]
    elif rest:
        element = dict(GENERATE_OPTION if (name, top) == ("generate", "options") else ELEMENTS[top])
        element[rest] = value
        body[top] = [element]
        if name == "session" and top == "options":
            body.pop("start", None)
    else:
        body[path] = value
    return body


@pytest.fixture
def targets(app, client, world) -> dict[str, tuple[str, dict[str, Any]]]:
    """Per write: its URL and a valid base body (empty for a PATCH)."""
    admin = world.admin_token
    activity_id = new_activity(client, admin, world.no.centre_id)
    volunteer = client.post(
        "/api/v1/volunteers", json={"centre_id": world.no.centre_id, "name": "Kari"},
        headers=auth(admin),
    ).get_json()["id"]
    session = client.post(
        "/api/v1/sessions",
        json={"activity_id": activity_id, "start": LATER, "end": LATER_END},
        headers=auth(admin),
    ).get_json()["id"]
    with app.app_context():
        assignment = Assignment(volunteer_id=volunteer, session_id=session, role="host")
        db.session.add(assignment)
        db.session.commit()
        assignment_id = assignment.id
    now = datetime.now(UTC)
    return {
        "municipality": (f"/api/v1/municipalities/{world.no.municipality_id}", {}),
        "centre": (f"/api/v1/centres/{world.no.centre_id}", {}),
        "place": (f"/api/v1/places/{world.no.place_ids[0]}", {}),
        "volunteer": (f"/api/v1/volunteers/{volunteer}", {}),
        "activity": (f"/api/v1/activities/{activity_id}", {}),
        "session": (f"/api/v1/sessions/{session}", {}),
        "assignment": (f"/api/v1/assignments/{assignment_id}", {"locked": True}),
        "decline": (f"/api/v1/assignments/{assignment_id}:decline", {"reason": "ill"}),
        "match_run": (
            "/api/v1/match-runs",
            {"centre_id": world.no.centre_id, "from": now.isoformat(),
             "to": (now + timedelta(days=7)).isoformat(), "dry_run": True},
        ),
        "generate": (
            f"/api/v1/activities/{activity_id}/sessions:generate",
            {"from": "2027-01-04T00:00:00+01:00", "to": "2027-01-11T00:00:00+01:00",
             "weekly": [ELEMENTS["weekly"]]},
        ),
    }


@pytest.mark.parametrize(
    ("write", "path", "values"), cases(), ids=[f"{w} {p}" for w, p, _ in cases()]
)
def test_bad_input_is_422_naming_the_field_and_changes_nothing(
    app, client, world, targets, write, path, values
) -> None:
    method, model = next((m, model) for n, m, _, model in WRITES if n == write)
    url, base = targets[write]
    before = rows(app, model)
    for value in values:
        response = client.open(
            url, method=method, json=body_for(write, path, value, base),
            headers=auth(world.admin_token),
        )
        body = assert_problem(response, 422)
        assert path in body["errors"], (value, body["errors"])
        top = path.split(".")[0]
        assert all(key.split(".")[0] == top for key in body["errors"]), (value, body["errors"])
    assert rows(app, model) == before


def test_every_body_field_is_a_shared_type() -> None:
    """No resource declares a body field outside api/common.py's types."""
    schemas = [schema for _, _, schema, _ in WRITES] + CREATE_SCHEMAS
    for schema in schemas:
        for key, field in load_fields(schema).items():
            bad_values(field)  # raises for a field type that is not shared
            inner = field.inner if isinstance(field, fields.List) else None
            if isinstance(inner, fields.Nested):
                for sub_field in load_fields(inner.schema).values():
                    bad_values(sub_field)
            elif inner is not None:
                assert bad_values(inner), (schema, key)


def test_the_reported_cases(client, world) -> None:
    """`"locked": "yes"` and `{"active": "yes"}` on PATCH /centres were read as true."""
    admin = auth(world.admin_token)
    response = client.patch(f"/api/v1/centres/{world.no.centre_id}", json={"active": "yes"},
                            headers=admin)
    assert assert_problem(response, 422, "active")["errors"]["active"] == ["Not a valid boolean."]
    assert client.get(f"/api/v1/centres/{world.no.centre_id}", headers=admin).get_json()[
        "active"] is True
