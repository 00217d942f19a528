"""GET /api/v1/volunteers/{id}/export: every personal field the database
holds about the volunteer, and nothing about anyone else."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Table

from medsam_match.extensions import db
from medsam_match.models import (
    ApiToken,
    Assignment,
    AssignmentOverride,
    CalendarFeedSecret,
    HoursEntry,
    MatchRun,
    OutboxMessage,
    Volunteer,
    VolunteerInvite,
    VolunteerSession,
)
from medsam_match.models.types import utcnow
from medsam_match.services.export import SECRET_COLUMNS
from tests.api.manual_world import ManualWorld, build_manual_world
from tests.conftest import World, auth
from tests.selfservice.past_world import add_past_session

# Strings that belong to the other volunteer: none may appear in the export.
OTHER = ("Hemmelig Person", "hemmelig@example.no", "+4799999999", "Hemmelig notat",
         "Hemmelig grunn", "Hemmelig melding", "hemmelig-sesjon")


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    return build_manual_world(app, world)


def _tables_pointing_at_volunteers() -> list[tuple[Table, str]]:
    """Found here from the models' metadata, independently of the service."""
    return [(table, column.name) for table in db.metadata.sorted_tables
            for column in table.columns
            if any(fk.target_fullname == "volunteer.id" for fk in column.foreign_keys)]


def _fill(app: Flask, mw: ManualWorld) -> dict[str, Any]:
    past = add_past_session(app, mw)
    with app.app_context():
        now = utcnow()
        me = db.session.get(Volunteer, mw.amira)
        me.email, me.phone, me.lat, me.lon = "amira@example.no", "+4791234567", 58.46, 8.77
        me.max_travel_km, me.max_hours_per_week, me.max_sessions_per_week = 12, 6, 2
        me.skills, me.interests = ["førstehjelp"], ["language"]
        me.certificates = [{"kind": "police", "valid_until": "2027-01-01"}]
        me.preferred_activity_ids = [mw.activity_id]
        me.unavailable = [{"start": "2027-07-01T00:00:00+00:00",
                           "end": "2027-07-14T00:00:00+00:00"}]
        me.language, me.erasure_requested_at = "nb", now
        other = Volunteer(centre_id=mw.world.no.centre_id, name="Hemmelig Person",
                          email="hemmelig@example.no", phone="+4799999999")
        db.session.add(other)
        db.session.flush()
        seat = db.session.get(Assignment, past.amira_seat)
        seat.attendance, seat.attendance_marked_at, seat.attendance_marked_by = (
            "attended", now, "user 1")
        seat.decline_reason = "Min egen grunn"
        seat.swap_offered_at = now
        theirs = Assignment(volunteer_id=other.id, session_id=past.session_id, role="host",
                            status="declined", decline_reason="Hemmelig grunn")
        db.session.add(theirs)
        db.session.flush()
        db.session.add_all([
            AssignmentOverride(assignment_id=seat.id, rules=["availability"],
                               reason="Hun ba om det selv", made_by="user 1"),
            AssignmentOverride(assignment_id=theirs.id, rules=["distance"],
                               reason="Hemmelig notat", made_by="user 1"),
            HoursEntry(volunteer_id=me.id, activity_id=mw.activity_id,
                       day=date.today() - timedelta(days=3), hours=2, note="Mitt notat",
                       status="approved", decided_by="user 1", decided_at=now),
            HoursEntry(volunteer_id=other.id, day=date.today(), hours=1,
                       note="Hemmelig notat"),
            OutboxMessage(kind="reminder", channel="email", volunteer_id=me.id,
                          centre_id=me.centre_id, address="amira@example.no",
                          payload={"assignment_id": seat.id}, subject="Påminnelse",
                          rendered="Min melding", last_error="none", claimed_by="x",
                          claimed_until=now, sent_at=now, dedup_key="r-1"),
            OutboxMessage(kind="reminder", channel="email", volunteer_id=other.id,
                          centre_id=me.centre_id, address="hemmelig@example.no",
                          rendered="Hemmelig melding"),
        ])
        token = ApiToken(token_hash="a" * 64, role="volunteer", volunteer_id=me.id,
                         centre_id=me.centre_id, label="Mobil", last_used_at=now,
                         revoked_at=now)
        their_token = ApiToken(token_hash="b" * 64, role="volunteer", volunteer_id=other.id,
                               centre_id=me.centre_id, label="hemmelig-sesjon")
        db.session.add_all([token, their_token])
        db.session.flush()
        db.session.add_all([
            VolunteerSession(nonce_hash="c" * 64, volunteer_id=me.id, token_id=token.id,
                             expires_at=now),
            CalendarFeedSecret(volunteer_id=me.id, secret="d" * 40),
            VolunteerInvite(volunteer_id=me.id, code_hash="e" * 64, created_by="user 1",
                            expires_at=now, used_at=now, token_id=token.id),
            MatchRun(centre_id=me.centre_id, window_from=now, window_to=now,
                     status="succeeded", scenario={"volunteers": [
                         {"id": str(me.id), "name": "Amira Haddad"},
                         {"id": str(other.id), "name": "Hemmelig Person"}]}),
        ])
        db.session.commit()
        return {"other": other.id, "seat": seat.id}


def test_the_export_covers_every_personal_column_and_no_one_else(
        app: Flask, client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    made = _fill(app, mw)
    response = client.get(f"/api/v1/volunteers/{mw.amira}/export",
                          headers=auth(make_token("volunteer", volunteer_id=mw.amira)))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    document = json.loads(text)

    with app.app_context():
        volunteer_columns = {c.name for c in Volunteer.__table__.columns}
        assert set(document["volunteer"]) == volunteer_columns
        me = db.session.get(Volunteer, mw.amira)
        for name in volunteer_columns:  # every value, not just the keys
            value = getattr(me, name)
            shown = document["volunteer"][name]
            assert shown == (value.isoformat() if hasattr(value, "isoformat") else value), name
        tables = _tables_pointing_at_volunteers()
        assert {t.name for t, _ in tables} >= {
            "assignment", "hours_entry", "outbox_message", "api_token", "volunteer_session",
            "calendar_feed_secret", "volunteer_invite"}
        sections = {"assignment": "assignments", "hours_entry": "hours",
                    "outbox_message": "messages", "api_token": "tokens",
                    "volunteer_session": "signins", "calendar_feed_secret": "calendar_feed",
                    "volunteer_invite": "invites"}
        for table, column in tables:
            section = document[sections.get(table.name, table.name)]
            assert section, f"nothing exported from {table.name}"
            assert all(row[column] == mw.amira for row in section), table.name
            wanted = {c.name for c in table.columns} - {
                c for t, c in SECRET_COLUMNS if t == table.name}
            for row in section:
                assert wanted <= set(row), (table.name, wanted - set(row))
        override_columns = {c.name for c in AssignmentOverride.__table__.columns}
        seat = next(a for a in document["assignments"] if a["id"] == made["seat"])
        assert set(seat["assignment_override"]) == override_columns
        assert seat["assignment_override"]["reason"] == "Hun ba om det selv"
    assert seat["attendance"] == "attended" and seat["session"]["activity"]
    assert document["hours"][0]["note"] == "Mitt notat"
    assert document["messages"][0]["rendered"] == "Min melding"
    assert document["volunteer"]["unavailable"][0]["start"].startswith("2027-07-01")
    assert [s["volunteer"]["id"] for s in document["planning_snapshots"]] == [str(mw.amira)]
    # Secrets are left out, and nothing of the other volunteer is in it.
    for secret in ("a" * 64, "c" * 64, "d" * 40, "e" * 64):
        assert secret not in text
    for theirs in OTHER:
        assert theirs not in text, theirs


def test_only_the_volunteer_and_their_centre_may_export(
        client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/v1/volunteers/{mw.amira}/export"
    assert client.get(url, headers=auth(make_token("volunteer", volunteer_id=mw.yusuf))
                      ).status_code == 404
    assert client.get(url, headers=auth(mw.world.dk.coordinator_token)).status_code == 404
    assert client.get(url, headers=auth(mw.world.no.coordinator_token)).status_code == 200
    assert client.get("/api/v1/volunteers/99999/export",
                      headers=auth(mw.world.admin_token)).status_code == 404
