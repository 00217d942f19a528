"""A volunteer's message settings: on /my/ (signed in) and from the link in
every message without signing in; the one-click unsubscribe of the
List-Unsubscribe header turns reminders off; GET changes nothing."""

from __future__ import annotations

from medsam_match.extensions import db
from medsam_match.models import Volunteer

from .helpers import publish_plan, send

HTTPS = "https://medsam.test"


def _stored(app, volunteer_id: int) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    with app.app_context():
        volunteer = db.session.get(Volunteer, volunteer_id)
        return volunteer.notify_channel, volunteer.reminders


def test_the_list_unsubscribe_link_turns_reminders_off_in_one_click_and_get_changes_nothing(
        mail_app, smtp, town):
    publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")])
    send(mail_app)
    (mail,) = smtp.messages
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail["List-Unsubscribe"].strip("<>")
    path = url.removeprefix(HTTPS)
    client = mail_app.test_client()  # a mail program: no cookies, no sign-in
    page = client.get(path, base_url=HTTPS)
    assert page.status_code == 200 and 'id="reminders-off"' in page.text
    assert _stored(mail_app, town.volunteer_ids[0]) == ("email", True)
    done = client.post(path, data={"List-Unsubscribe": "One-Click"}, base_url=HTTPS)
    assert done.status_code == 200
    assert _stored(mail_app, town.volunteer_ids[0]) == ("email", False)
    bare = path.split("?")[0]
    tampered = client.post(bare[:-2] + ("xx" if not bare.endswith("xx") else "yy"),
                           data={"List-Unsubscribe": "One-Click"}, base_url=HTTPS)
    assert tampered.status_code == 404


def test_the_settings_page_changes_the_channel_and_refuses_an_unknown_one(mail_app, town):
    from medsam_match.services.notifications import links

    with mail_app.app_context():
        path = f"/my/notifications/{links.settings_token(town.volunteer_ids[1])}"
    client = mail_app.test_client()
    saved = client.post(path, data={"channel": "both", "reminders": "on"}, base_url=HTTPS)
    assert saved.status_code == 200 and 'id="settings-saved"' in saved.text
    assert _stored(mail_app, town.volunteer_ids[1]) == ("both", True)
    refused = client.post(path, data={"channel": "pigeon"}, base_url=HTTPS)
    assert refused.status_code == 422
    assert _stored(mail_app, town.volunteer_ids[1]) == ("both", True)


def test_the_volunteer_page_has_a_messages_block(mail_app, town, make_token):
    client = mail_app.test_client()
    page = client.get("/my/", base_url=HTTPS)
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    token = make_token("volunteer", volunteer_id=town.volunteer_ids[2])
    assert client.post("/my/sign-in", data={"csrf_token": csrf, "token": token},
                       base_url=HTTPS).status_code in (302, 303)
    home = client.get("/my/", base_url=HTTPS)
    assert 'id="message-settings"' in home.text and "Meldinger" in home.text
    action = home.text.split('id="message-settings"')[1].split('action="')[1].split('"')[0]
    client.post(action, data={"channel": "none"}, base_url=HTTPS)
    assert _stored(mail_app, town.volunteer_ids[2]) == ("none", False)
