"""The messages API (scoped, resend of a failed one), phone numbers in
E.164 (422 naming the field), SMS through the gateway within two segments
and never at night unless about today, and invites sent by mail."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from medsam_match.extensions import db
from medsam_match.models import OutboxMessage, Volunteer
from medsam_match.models.types import utcnow

from ..conftest import auth
from .conftest import Town
from .helpers import outbox, publish_plan, send, text_of


def _publish_one_each(app, town: Town, count: int = 3) -> None:  # type: ignore[no-untyped-def]
    publish_plan(app, town, [(v, town.session_ids[0], "host") for v in town.volunteer_ids[:count]])


def test_a_coordinator_sees_its_centres_messages_and_a_volunteer_only_its_own(
        mail_app, smtp, town, world, make_token):
    _publish_one_each(mail_app, town)
    send(mail_app)
    client = mail_app.test_client()
    mine = client.get("/api/v1/messages", headers=auth(world.no.coordinator_token))
    assert mine.status_code == 200
    rows = mine.get_json()
    assert len(rows) == 3 and {r["status"] for r in rows} == {"sent"}
    assert {r["channel"] for r in rows} == {"email"} and all(r["tries"] == 1 for r in rows)
    other = client.get("/api/v1/messages",
                       headers=auth(world.no.coordinator_tokens[world.no.centre_ids[1]]))
    assert other.get_json() == []
    volunteer = make_token("volunteer", volunteer_id=town.volunteer_ids[1])
    own = client.get("/api/v1/messages", headers=auth(volunteer)).get_json()
    assert [r["volunteer_id"] for r in own] == [town.volunteer_ids[1]]
    assert client.get(f"/api/v1/messages/{rows[0]['id']}",
                      headers=auth(world.dk.coordinator_token)).status_code == 404


def test_a_failed_message_is_listed_with_its_error_and_can_be_resent_once(
        mail_app, smtp, town, world, make_token):
    _publish_one_each(mail_app, town, 1)
    smtp.stop()
    now = utcnow()
    for attempt in range(4):
        send(mail_app, now=now + timedelta(hours=attempt))
    client = mail_app.test_client()
    token = auth(world.no.coordinator_token)
    (row,) = client.get("/api/v1/messages?status=failed", headers=token).get_json()
    assert row["tries"] == 4 and row["last_error"]
    volunteer = make_token("volunteer", volunteer_id=town.volunteer_ids[0])
    assert client.post(f"/api/v1/messages/{row['id']}:resend",
                       headers=auth(volunteer)).status_code == 403
    resent = client.post(f"/api/v1/messages/{row['id']}:resend", headers=token)
    assert resent.status_code == 200 and resent.get_json()["status"] == "queued"
    again = client.post(f"/api/v1/messages/{row['id']}:resend", headers=token)
    assert again.status_code == 409
    smtp.start()
    assert len(send(mail_app).sent) == 1
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/messages" in spec["paths"] and "/api/v1/messages/{message_id}:resend" in spec["paths"]


def test_phone_numbers_are_stored_in_e164_and_a_bad_one_is_refused_naming_the_field(
        mail_app, world):
    client = mail_app.test_client()
    token = auth(world.no.coordinator_token)
    made = client.post("/api/v1/volunteers", headers=token, json={
        "centre_id": world.no.centre_id, "name": "Ola", "phone": "912 34 567"})
    assert made.status_code == 201 and made.get_json()["phone"] == "+4791234567"
    for bad in ("+47 123", "12", "+47 912 34 567 999 999"):
        refused = client.post("/api/v1/volunteers", headers=token, json={
            "centre_id": world.no.centre_id, "name": "Kari", "phone": bad})
        assert refused.status_code == 422 and "phone" in refused.get_json()["errors"], bad
    refused = client.post("/api/v1/volunteers", headers=token, json={
        "centre_id": world.no.centre_id, "name": "Kari", "email": "kari@"})
    assert refused.status_code == 422 and "email" in refused.get_json()["errors"]
    patched = client.patch(f"/api/v1/volunteers/{made.get_json()['id']}", headers=token,
                           json={"phone": "+45 20 12 34 56", "notify_channel": "sms"})
    assert patched.status_code == 200 and patched.get_json()["phone"] == "+4520123456"
    bad_channel = client.patch(f"/api/v1/volunteers/{made.get_json()['id']}", headers=token,
                               json={"notify_channel": "pigeon"})
    assert bad_channel.status_code == 422 and "notify_channel" in bad_channel.get_json()["errors"]
    for change, field in (({"phone": "+47 123", "name": "Ola Nordmann"}, "phone"),
                          ({"email": "ola@", "notify_channel": "email"}, "email")):
        refused = client.patch(f"/api/v1/volunteers/{made.get_json()['id']}", headers=token,
                               json=change)
        assert refused.status_code == 422 and field in refused.get_json()["errors"], change
    with mail_app.app_context():
        stored = db.session.get(Volunteer, made.get_json()["id"])
        # Nothing of a refused change is kept, not even its valid parts.
        assert (stored.notify_channel, stored.phone, stored.name, stored.email) == (
            "sms", "+4520123456", "Ola", None)


def test_sms_go_through_the_gateway_in_at_most_two_segments_with_a_short_link(
        mail_app, smtp, sms_gateway, town):
    with mail_app.app_context():
        for index, channel in ((0, "sms"), (1, "both"), (2, "none")):
            volunteer = db.session.get(Volunteer, town.volunteer_ids[index])
            volunteer.phone, volunteer.notify_channel = f"+4791234{index:03d}", channel
        db.session.commit()
    # Volunteer 0 gets five sessions: the SMS names the first and counts them.
    publish_plan(mail_app, town, [(town.volunteer_ids[0], s, "host") for s in town.session_ids[:5]]
                 + [(town.volunteer_ids[i], town.session_ids[0], "host") for i in (1, 2)])
    rows = outbox(mail_app)
    assert sorted((r.volunteer_id, r.channel) for r in rows) == sorted([
        (town.volunteer_ids[0], "sms"), (town.volunteer_ids[1], "email"),
        (town.volunteer_ids[1], "sms")])
    latest = max(r.next_attempt_at for r in rows)
    send(mail_app, now=max(latest, utcnow()))
    assert sorted(r["to"] for r in sms_gateway.requests) == ["+4791234000", "+4791234001"]
    assert all(h["Authorization"] == "Bearer k" for h in sms_gateway.headers)
    for request in sms_gateway.requests:
        text = request["message"]
        assert len(text) <= 306 and text.endswith("https://medsam.test/my/")
        assert request["ref"].isdigit()
    five = next(r["message"] for r in sms_gateway.requests if r["to"] == "+4791234000")
    assert five.startswith("5 nye oppdrag")
    assert len(smtp.messages) == 1  # volunteer 1 (both) also by mail; volunteer 2 chose none


def test_an_sms_waits_for_the_morning_unless_it_is_about_today(mail_app, town):
    from zoneinfo import ZoneInfo

    from medsam_match.services.notifications.outbox import after_quiet_hours

    oslo = ZoneInfo("Europe/Oslo")
    late = datetime(2030, 1, 6, 22, 30, tzinfo=oslo)
    assert after_quiet_hours(late, oslo) == datetime(2030, 1, 7, 8, 0, tzinfo=oslo)
    early = datetime(2030, 1, 7, 6, 15, tzinfo=oslo)
    assert after_quiet_hours(early, oslo) == datetime(2030, 1, 7, 8, 0, tzinfo=oslo)
    day = datetime(2030, 1, 7, 12, 0, tzinfo=oslo)
    assert after_quiet_hours(day, oslo) == day
    # Enqueued now: an SMS about a session weeks ahead is due no earlier than
    # the end of tonight's quiet hours (or now, in the day).
    with mail_app.app_context():
        volunteer = db.session.get(Volunteer, town.volunteer_ids[0])
        volunteer.phone, volunteer.notify_channel = "+4791234000", "sms"
        db.session.commit()
    publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")])
    (row,) = outbox(mail_app)
    assert row.next_attempt_at == after_quiet_hours(row.created_at, oslo)


def test_an_invite_is_sent_to_the_volunteers_address_and_its_link_signs_in(
        mail_app, smtp, town, world):
    client = mail_app.test_client()
    made = client.post(f"/api/v1/volunteers/{town.volunteer_ids[3]}/invites",
                       headers=auth(world.no.coordinator_token))
    assert made.status_code == 201 and made.get_json()["sent_to"] == ["email"]
    send(mail_app)
    (mail,) = smtp.to("frivillig03@example.test")
    link = re.search(r"https://medsam\.test(/my/invite/[A-Za-z0-9_\-]+)", text_of(mail))
    assert link is not None
    page = client.get(link[1], base_url="https://medsam.test")
    assert page.status_code == 200
    with mail_app.app_context():
        row = db.session.query(OutboxMessage).one()
        assert row.status == "sent" and row.payload == {}  # the link is not kept once sent
        assert link[1] not in (row.rendered or "")


def test_the_workspace_lists_the_centres_messages_and_sends_a_failed_one_again(
        mail_app, smtp, town):
    from tests.web.staff import Workspace, csrf_of, make_user

    make_user(mail_app, "kari@arendal.test", centre_id=town.centre_id)
    _publish_one_each(mail_app, town, 2)
    smtp.stop()
    now = utcnow()
    for attempt in range(4):
        send(mail_app, now=now + timedelta(hours=attempt))
    client = mail_app.test_client()
    Workspace(client).sign_in("kari@arendal.test")
    page = client.get("/messages?status=failed")
    assert page.status_code == 200 and 'id="message-list"' in page.text
    assert page.text.count('data-state="failed"') == 2 and "frivillig00@example.test" in page.text
    first = outbox(mail_app)[0]
    smtp.start()
    again = client.post(f"/messages/{first.id}/resend", data={"csrf_token": csrf_of(page.text)})
    assert again.status_code == 303
    assert send(mail_app).sent == [first.id]
    assert [m["To"] for m in smtp.messages] == [first.address]


def test_an_sms_the_gateway_refuses_waits_with_the_gateways_answer_and_goes_out_later(
        mail_app, sms_gateway, town):
    with mail_app.app_context():
        volunteer = db.session.get(Volunteer, town.volunteer_ids[0])
        volunteer.phone, volunteer.notify_channel = "+4791234000", "sms"
        db.session.commit()
    publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")])
    (row,) = outbox(mail_app)
    due = max(row.next_attempt_at, utcnow())
    sms_gateway.status = 503
    outcome = send(mail_app, now=due)
    assert outcome.sent == [] and len(outcome.retried) == 1
    (row,) = outbox(mail_app)
    assert row.status == "queued" and "503" in row.last_error
    sms_gateway.status = 200
    assert len(send(mail_app, now=due + timedelta(minutes=2)).sent) == 1
    texts = [r["message"] for r in sms_gateway.requests]
    assert len(texts) == 2 and texts[0] == texts[1]  # the same text both times
