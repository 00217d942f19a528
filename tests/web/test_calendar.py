"""The per-volunteer iCalendar feed at /my/calendar/<key>.ics."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

from flask import Flask

from medsam_match.extensions import db
from tests.web.conftest import PageClient, WebWorld

CALENDAR_LINK = re.compile(r'id="calendar-address" type="text" readonly value="([^"]+)"')


def _feed_path(page: PageClient) -> str:
    match = CALENDAR_LINK.search(page.page().get_data(as_text=True))
    assert match, "the page shows no calendar address"
    return match.group(1).removeprefix("http://localhost")


def _events(body: str) -> dict[str, dict[str, str]]:
    """UID -> {property: value} for each VEVENT, after unfolding."""
    unfolded = body.replace("\r\n ", "")
    events = {}
    for block in re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", unfolded, re.S):
        block = re.sub(r"BEGIN:VALARM\r\n.*?END:VALARM\r\n", "", block, flags=re.S)
        props = dict(line.split(":", 1) for line in block.split("\r\n") if line)
        events[props["UID"]] = props
    return events


def test_the_feed_reminds_two_hours_before_unless_reminders_are_off(app, kari_page: PageClient) -> None:
    from medsam_match.extensions import db
    from medsam_match.models import Volunteer

    body = kari_page.client.get(_feed_path(kari_page)).get_data(as_text=True)
    assert "BEGIN:VALARM" in body and "TRIGGER:-PT2H" in body and "ACTION:DISPLAY" in body
    with app.app_context():
        for volunteer in db.session.query(Volunteer):
            volunteer.reminders = False
        db.session.commit()
    body = kari_page.client.get(_feed_path(kari_page)).get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and "BEGIN:VALARM" not in body


def _uid_id(uid: str) -> int:
    return int(re.match(r"assignment-(\d+)-", uid).group(1))


def test_the_page_links_the_feed_for_subscribing(kari_page: PageClient) -> None:
    html = kari_page.page().get_data(as_text=True)
    assert re.search(r'href="webcal://localhost/my/calendar/\d+-[0-9a-f]{32}\.ics">'
                     r'Legg til i kalenderen din</a>', html)


def test_the_feed_holds_the_volunteers_assignments(
    kari_page: PageClient, web_world: WebWorld
) -> None:
    response = kari_page.client.get(_feed_path(kari_page))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    events = {_uid_id(uid): props for uid, props in _events(body).items()}
    # Upcoming proposed and confirmed, the declined and cancelled ones as
    # cancelled, last week's confirmed one; not the one from 40 days ago,
    # nor Ola's.
    assert set(events) == {web_world.proposed_id, web_world.confirmed_id,
                           web_world.declined_id, web_world.cancelled_id, web_world.past_id}
    statuses = {aid: props["STATUS"] for aid, props in events.items()}
    assert statuses == {
        web_world.proposed_id: "TENTATIVE", web_world.confirmed_id: "CONFIRMED",
        web_world.declined_id: "CANCELLED", web_world.cancelled_id: "CANCELLED",
        web_world.past_id: "CONFIRMED",
    }
    proposed = events[web_world.proposed_id]
    start = web_world.proposed_start.astimezone(UTC)  # 17:00 in Arendal
    assert proposed["DTSTART"] == start.strftime("%Y%m%dT%H%M%SZ")
    assert proposed["DTEND"] == (start + timedelta(hours=2)).strftime("%Y%m%dT%H%M%SZ")
    assert proposed["SUMMARY"] == "Språkkafé (vert)"
    assert proposed["LOCATION"] == "Arendal bibliotek\\, Torvet 6\\, 4836 Arendal"
    assert events[web_world.confirmed_id]["SUMMARY"] == "Leksehjelp\\; 5.–7. trinn (Hjelper)"
    assert "http://localhost/my/" in proposed["DESCRIPTION"]


def test_uids_are_stable_and_the_status_follows_the_answer(
    kari_page: PageClient, web_world: WebWorld
) -> None:
    path = _feed_path(kari_page)
    before = _events(kari_page.client.get(path).get_data(as_text=True))
    kari_page.post(f"/my/assignments/{web_world.proposed_id}/confirm")
    after = _events(kari_page.client.get(path).get_data(as_text=True))
    assert set(before) == set(after)
    uid = next(u for u in after if _uid_id(u) == web_world.proposed_id)
    assert (before[uid]["STATUS"], after[uid]["STATUS"]) == ("TENTATIVE", "CONFIRMED")
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])


def test_the_feed_needs_no_sign_in_but_the_right_key(
    app: Flask, kari_page: PageClient, web_world: WebWorld
) -> None:
    path = _feed_path(kari_page)
    anonymous = app.test_client()
    assert anonymous.get(path).status_code == 200
    volunteer_id, mac = re.search(r"/(\d+)-([0-9a-f]{32})\.ics$", path).groups()
    wrong = [
        f"/my/calendar/{volunteer_id}-{'0' * 32}.ics",
        f"/my/calendar/{web_world.ola_id}-{mac}.ics",  # Kari's proof, Ola's id
        f"/my/calendar/{volunteer_id}-{mac[:-1]}.ics",
        f"/my/calendar/{volunteer_id}.ics",
        f"/my/calendar/{mac}.ics",
        f"/my/calendar/{volunteer_id}-{mac.upper()}.ics",
    ]
    for bad in wrong:
        response = anonymous.get(bad)
        assert response.status_code == 404, bad
        assert "BEGIN:VCALENDAR" not in response.get_data(as_text=True)


def test_a_new_secret_key_invalidates_every_feed(
    app: Flask, kari_page: PageClient
) -> None:
    path = _feed_path(kari_page)
    app.config["SECRET_KEY"] = "rotated"
    assert app.test_client().get(path).status_code == 404


def test_feed_addresses_cannot_be_made_from_the_secret_key_and_an_id(
    app: Flask, kari_page: PageClient, web_world: WebWorld
) -> None:
    import hashlib
    import hmac

    path = _feed_path(kari_page)
    secret = str(app.config["SECRET_KEY"]).encode()
    for volunteer_id in (web_world.kari_id, web_world.ola_id):
        mac = hmac.new(secret, f"calendar-feed:{volunteer_id}".encode(), hashlib.sha256)
        guessed = f"/my/calendar/{volunteer_id}-{mac.hexdigest()[:32]}.ics"
        assert guessed != path
        assert app.test_client().get(guessed).status_code == 404


def test_each_volunteer_has_a_random_feed_secret(
    app: Flask, page: PageClient, web_world: WebWorld
) -> None:
    from medsam_match.models import CalendarFeedSecret

    page.sign_in(web_world.kari_token)
    kari_path = _feed_path(page)
    page.client.post("/my/sign-out", data={"csrf_token": page.csrf()})
    page.sign_in(web_world.ola_token)
    _feed_path(page)
    with app.app_context():
        secrets = {row.volunteer_id: row.secret for row in db.session.query(CalendarFeedSecret)}
        assert set(secrets) == {web_world.kari_id, web_world.ola_id}
        assert len(set(secrets.values())) == 2 and all(len(s) >= 40 for s in secrets.values())
        # A new secret gives a new address; the old one stops working.
        db.session.delete(db.session.get(CalendarFeedSecret, web_world.kari_id))
        db.session.commit()
    assert app.test_client().get(kari_path).status_code == 404


def test_an_erased_volunteers_feed_is_gone(
    app: Flask, kari_page: PageClient, web_world: WebWorld
) -> None:
    from medsam_match.models import Volunteer
    from medsam_match.models.types import utcnow

    path = _feed_path(kari_page)
    with app.app_context():
        db.session.get(Volunteer, web_world.kari_id).erased_at = utcnow()
        db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_the_feed_speaks_the_municipalitys_language(page: PageClient,
                                                    web_world: WebWorld) -> None:
    page.sign_in(web_world.mette_token)
    body = page.client.get(_feed_path(page)).get_data(as_text=True)
    assert "X-WR-CALNAME:Frivilligopgaver\r\n" in body
    assert "BEGIN:VEVENT" not in body
