"""'Send me a link': one-time sign-in links by e-mail or SMS, 15 minutes,
to /my/ for volunteers and to the workspace for staff; the same answer for
unknown addresses; used once; limited per address."""

from __future__ import annotations

import re
from datetime import timedelta

from medsam_match.extensions import db
from medsam_match.models import OutboxMessage, StaffSignInLink, Volunteer, VolunteerInvite
from medsam_match.models.types import utcnow
from tests.web.staff import csrf_of

from .helpers import send, text_of

HTTPS = "https://medsam.test"


def _ask(client, address: str):  # type: ignore[no-untyped-def]
    page = client.get("/my/", base_url=HTTPS)
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    return client.post("/my/sign-in/link", data={"csrf_token": token, "address": address},
                       base_url=HTTPS)


def test_a_volunteer_gets_a_link_by_mail_that_signs_in_once(mail_app, smtp, town):
    client = mail_app.test_client()
    known = _ask(client, "Frivillig04@Example.test")
    unknown = _ask(client, "nobody@example.test")
    assert known.status_code == unknown.status_code == 200
    assert 'id="link-sent"' in known.text and 'id="link-sent"' in unknown.text
    send(mail_app)
    (mail,) = smtp.messages
    assert mail["To"] == "frivillig04@example.test"
    path = re.search(r"https://medsam\.test(/my/invite/[A-Za-z0-9_\-]+)", text_of(mail))[1]
    page = client.get(path, base_url=HTTPS)
    assert page.status_code == 200
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    used = client.post(path, data={"csrf_token": token}, base_url=HTTPS)
    assert used.status_code == 303 and used.headers["Location"].endswith("/my/")
    home = client.get("/my/", base_url=HTTPS)
    assert "Frivillig" in home.text and 'id="signin-link-form"' not in home.text
    stranger = mail_app.test_client()
    assert stranger.get(path, base_url=HTTPS).status_code == 410  # used: a page says so
    token = stranger.get("/my/", base_url=HTTPS).text.split('name="csrf_token" value="')[1].split('"')[0]
    assert stranger.post(path, data={"csrf_token": token}, base_url=HTTPS).status_code == 410
    with mail_app.app_context():
        (invite,) = db.session.query(VolunteerInvite).all()
        assert invite.expires_at - invite.created_at == timedelta(minutes=15)


def test_a_volunteer_who_chose_no_messages_still_gets_the_link_it_asks_for_by_sms(
        mail_app, sms_gateway, town):
    with mail_app.app_context():
        volunteer = db.session.get(Volunteer, town.volunteer_ids[2])
        volunteer.phone, volunteer.notify_channel = "+4791234002", "none"
        db.session.commit()
    client = mail_app.test_client()
    assert _ask(client, "912 34 002").status_code == 200
    send(mail_app)
    (request,) = sms_gateway.requests
    assert request["to"] == "+4791234002" and "/my/invite/" in request["message"]
    assert len(request["message"]) <= 306


def test_an_expired_volunteer_link_is_refused_with_a_clear_page(mail_app, smtp, town):
    client = mail_app.test_client()
    _ask(client, "frivillig01@example.test")
    send(mail_app)
    path = re.search(r"(/my/invite/[A-Za-z0-9_\-]+)", text_of(smtp.messages[0]))[1]
    with mail_app.app_context():
        invite = db.session.query(VolunteerInvite).one()
        invite.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    page = client.get(path, base_url=HTTPS)
    assert page.status_code == 410


def test_asking_too_often_is_refused_with_429(mail_app, town):
    mail_app.config["MEDSAM_FAILED_LOGINS_PER_MINUTE"] = 3
    client = mail_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.77"
    answers = [_ask(client, f"someone{i}@example.test").status_code for i in range(4)]
    assert answers == [200, 200, 200, 429]


def test_a_coordinator_gets_a_link_to_the_workspace_that_works_once(mail_app, smtp, town):
    client = mail_app.test_client()
    form = client.get("/signin")
    assert 'id="signin-link-form"' in form.text
    asked = client.post("/signin/link", data={"csrf_token": csrf_of(form.text),
                                              "email": "Koordinator@arendal.test"})
    assert asked.status_code == 200 and 'id="link-sent"' in asked.text
    unknown = client.post("/signin/link", data={"csrf_token": csrf_of(form.text),
                                                "email": "nobody@arendal.test"})
    assert unknown.status_code == 200 and 'id="link-sent"' in unknown.text
    send(mail_app)
    (mail,) = smtp.messages
    assert mail["To"] == town.coordinator_email
    path = re.search(r"https://medsam\.test(/signin/link/[A-Za-z0-9_\-]+)", text_of(mail))[1]
    page = client.get(path)
    assert page.status_code == 200 and 'id="use-link"' in page.text
    with mail_app.app_context():
        assert db.session.query(StaffSignInLink).one().used_at is None  # GET changed nothing
    used = client.post(path, data={"csrf_token": csrf_of(page.text)})
    assert used.status_code == 303 and used.headers["Location"].endswith("/board")
    assert client.get("/board").status_code == 200
    other = mail_app.test_client()
    page = other.get(path)
    assert page.status_code == 410 and 'id="link-refused"' in page.text
    with mail_app.app_context():
        row = db.session.query(OutboxMessage).one()
        assert row.payload == {}  # the link is not kept once sent
