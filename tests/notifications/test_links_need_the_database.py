"""Knowing the secret key is not enough (hardening finding 1, the class): a
message link or a staff session cookie made from the secret key and small
integers alone is refused, because each also needs a random value that lives
only in the database (the volunteer's secret, the user's password hash)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from itsdangerous import URLSafeSerializer

from medsam_match.auth import Principal
from medsam_match.extensions import db
from medsam_match.models import Volunteer
from medsam_match.services.notifications import links
from medsam_match.services.volunteers import erase_volunteer
from medsam_match.web.workspace.cookies import STAFF_COOKIE
from tests.conftest import World
from tests.web.staff import Workspace, make_user

HTTPS = "https://medsam.test"


def _channel(app: Flask, volunteer_id: int) -> str:
    with app.app_context():
        return db.session.get(Volunteer, volunteer_id).notify_channel


def _key_only(app: Flask, salt: str, payload: object) -> str:
    """What someone holding only the secret key could sign."""
    return str(URLSafeSerializer(str(app.config["SECRET_KEY"]), salt=salt).dumps(payload))


def test_a_settings_link_made_from_the_secret_key_and_an_id_alone_is_refused(mail_app, town):
    volunteer_id = town.volunteer_ids[1]
    client = mail_app.test_client()
    for forged in (_key_only(mail_app, links.SETTINGS_SALT, volunteer_id),
                   _key_only(mail_app, f"{links.SETTINGS_SALT}:", volunteer_id)):
        answer = client.post(f"/my/notifications/{forged}", data={"channel": "none"},
                             base_url=HTTPS)
        assert answer.status_code == 404
    assert _channel(mail_app, volunteer_id) == "email"
    with mail_app.app_context():
        real = links.settings_token(volunteer_id)
    saved = client.post(f"/my/notifications/{real}", data={"channel": "sms"}, base_url=HTTPS)
    assert saved.status_code == 200
    assert _channel(mail_app, volunteer_id) == "sms"


def test_an_answer_link_made_from_the_secret_key_alone_is_refused(mail_app, town):
    volunteer_id = town.volunteer_ids[0]
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    payload = [volunteer_id, 1, "decline", int(expires.timestamp())]
    with mail_app.app_context():
        for forged in (_key_only(mail_app, links.ANSWER_SALT, payload),
                       _key_only(mail_app, f"{links.ANSWER_SALT}:", payload)):
            with pytest.raises(links.LinkRefused) as refused:
                links.read_answer_token(forged, datetime.now(UTC))
            assert refused.value.reason == "tampered"
        # The same content signed with the volunteer's secret too is read.
        real = links.answer_token(volunteer_id, 1, "decline", expires)
        assert links.read_answer_token(real, datetime.now(UTC)) == links.AnswerLink(
            volunteer_id, 1, "decline", expires)


def test_erasure_ends_every_link_sent_to_the_person(mail_app, town):
    volunteer_id = town.volunteer_ids[2]
    with mail_app.app_context():
        token = links.settings_token(volunteer_id)
        assert links.read_settings_token(token) == volunteer_id
        erase_volunteer(Principal(role="admin"), volunteer_id)
    client = mail_app.test_client()
    assert client.get(f"/my/notifications/{token}", base_url=HTTPS).status_code == 404


def test_a_staff_cookie_made_from_the_secret_key_and_a_user_id_is_refused(
        app: Flask, client, world: World) -> None:
    from medsam_match.models import User

    user_id = make_user(app, "kari@example.no", centre_id=world.no.centre_id)
    with app.app_context():
        version = db.session.get(User, user_id).session_version
    signer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    name = STAFF_COOKIE
    for forged_id in (f"{user_id}.{version}", f"{user_id}.{version}.{'0' * 32}"):
        client.set_cookie(name, signer.dumps({"_user_id": forged_id, "_fresh": True}))
        assert client.get("/board").status_code == 302  # sent to sign in
    client.delete_cookie(name)
    assert Workspace(client).sign_in("kari@example.no").status_code == 303
    assert client.get("/board").status_code == 200
