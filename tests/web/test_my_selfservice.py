"""The volunteer's own parts of /my/: availability and profile, open slots,
swaps, hours and personal data, through the pages' forms (test client,
SQLite and PostgreSQL). The browser walk is in test_my_selfservice_browser.py.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from medsam_match.extensions import db
from tests.web.conftest import PageClient, WebWorld, local_evening
from tests.web.staff import make_user

ALWAYS = [{"weekday": day, "start": "00:00", "end": "24:00"} for day in range(7)]


def _volunteer(app: Flask, volunteer_id: int) -> Any:
    from medsam_match.models import Volunteer

    with app.app_context():
        row = db.session.get(Volunteer, volunteer_id)
        db.session.expunge(row)
        return row


def _set(app: Flask, volunteer_id: int, **values: Any) -> None:
    from medsam_match.models import Volunteer

    with app.app_context():
        row = db.session.get(Volunteer, volunteer_id)
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


def _profile_form(page: PageClient) -> dict[str, str]:
    """The profile form as the browser would send it, unchanged."""
    html = page.page("/my/profile").get_data(as_text=True)
    form: dict[str, str] = {}
    for name, value in re.findall(r'<input type="(?:text|email|tel|time|date|hidden)"[^>]*'
                                  r'name="([^"]+)" value="([^"]*)"', html):
        form[name] = value
    for name in re.findall(r'<select id="[^"]+" name="([^"]+)"', html):
        chosen = re.search(rf'name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
        assert chosen
        selected = re.search(r'<option value="([^"]*)"[^>]* selected>', chosen.group(1))
        first = re.search(r'<option value="([^"]*)"', chosen.group(1))
        form[name] = selected.group(1) if selected else (first.group(1) if first else "")
    for name, value in re.findall(r'<input type="(?:checkbox|radio)" name="([^"]+)"'
                                  r'(?: value="([^"]*)")?[^>]*checked', html):
        form.setdefault(name, value or "on")
    form.pop("csrf_token", None)
    return form


# --- availability and profile -----------------------------------------------------

def test_add_change_and_remove_weekly_windows_and_an_away_period(
        kari_page: PageClient, web_world: WebWorld, app: Flask) -> None:
    _set(app, web_world.kari_id, weekly_availability=[
        {"weekday": 1, "start": "17:00", "end": "19:00"},
        {"weekday": 3, "start": "10:00", "end": "12:00"}])
    form = _profile_form(kari_page)
    assert form["win-0-day"] == "1" and form["win-0-start"] == "17:00"
    form.update({"win-0-end": "20:00",  # change
                 "win-1-remove": "on",  # remove
                 "win-2-day": "5", "win-2-start": "09:00", "win-2-end": "13:00",  # add
                 "away-0-first": "2027-07-01", "away-0-last": "2027-07-21"})
    response = kari_page.post("/my/profile", **form)
    assert response.status_code == 303
    page = kari_page.page("/my/profile").get_data(as_text=True)
    assert "Lagret" in page
    kari = _volunteer(app, web_world.kari_id)
    assert kari.weekly_availability == [{"weekday": 1, "start": "17:00", "end": "20:00"},
                                        {"weekday": 5, "start": "09:00", "end": "13:00"}]
    # From the first day's midnight to the midnight after the last, Oslo time (kept in UTC).
    assert kari.unavailable == [{"start": "2027-06-30T22:00:00+00:00",
                                 "end": "2027-07-21T22:00:00+00:00"}]
    # Shown again as days, and removable.
    form = _profile_form(kari_page)
    assert (form["away-0-first"], form["away-0-last"]) == ("2027-07-01", "2027-07-21")
    form["away-0-remove"] = "on"
    assert kari_page.post("/my/profile", **form).status_code == 303
    assert _volunteer(app, web_world.kari_id).unavailable == []


@pytest.mark.parametrize(("change", "field_id"), [
    ({"win-0-end": "17:00"}, "win-0"),  # zero length
    ({"win-0-start": "25:00"}, "win-0"),  # no such hour
    ({"win-0-day": "²"}, "win-0"),  # a digit, but no weekday
    ({"away-0-first": "2027-07-10", "away-0-last": "2027-07-01"}, "away-0"),  # ends before
    ({"interests": "skydiving"}, "interests"),  # not the centre's
    ({"max_sessions_per_week": "lots"}, "max_sessions_per_week"),
    ({"email": "not-an-address"}, "email"),
])
def test_bad_input_is_422_naming_the_field_and_changes_nothing(
        kari_page: PageClient, web_world: WebWorld, app: Flask, change: dict[str, str],
        field_id: str) -> None:
    _set(app, web_world.kari_id, weekly_availability=[
        {"weekday": 1, "start": "17:00", "end": "19:00"}], interests=["språk"])
    before = _volunteer(app, web_world.kari_id)
    form = _profile_form(kari_page)
    form.update(change)
    response = kari_page.post("/my/profile", **form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field_id}-error"' in html, html
    assert "Ingenting ble lagret" in html
    after = _volunteer(app, web_world.kari_id)
    for column in ("weekly_availability", "unavailable", "interests", "max_sessions_per_week",
                   "email", "version"):
        assert getattr(after, column) == getattr(before, column), column


def test_interests_come_from_the_centres_list(kari_page: PageClient, web_world: WebWorld,
                                              app: Flask) -> None:
    from medsam_match.models import Activity

    with app.app_context():
        db.session.add(Activity(centre_id=web_world.world.no.centre_id, title="Turgruppe",
                                interests=["friluft", "helse"],
                                roles=[{"role": "guide", "min": 1, "max": 1}]))
        db.session.commit()
    html = kari_page.page("/my/profile").get_data(as_text=True)
    assert 'value="friluft"' in html and 'value="helse"' in html
    form = _profile_form(kari_page)
    form["interests"] = "friluft"
    assert kari_page.post("/my/profile", **form).status_code == 303
    assert _volunteer(app, web_world.kari_id).interests == ["friluft"]


def test_languages_by_name_limits_contact_and_messages(
        kari_page: PageClient, web_world: WebWorld, app: Flask) -> None:
    _set(app, web_world.kari_id, languages=["no"])
    html = kari_page.page("/my/profile").get_data(as_text=True)
    assert "norsk" in html and '<option value="ar">arabisk</option>' in html
    form = _profile_form(kari_page)
    form.update({"add_language": "ar", "max_travel_km": "7,5", "max_sessions_per_week": "2",
                 "max_hours_per_week": "", "phone": "912 34 567", "notify_channel": "sms",
                 "language": "en"})
    form.pop("reminders", None)
    assert kari_page.post("/my/profile", **form).status_code == 303
    kari = _volunteer(app, web_world.kari_id)
    assert kari.languages == ["no", "ar"]
    assert (kari.max_travel_km, kari.max_sessions_per_week, kari.max_hours_per_week) == \
        (7.5, 2, None)
    assert (kari.phone, kari.notify_channel, kari.reminders, kari.language) == (
        "+4791234567", "sms", False, "en")
    form = _profile_form(kari_page)
    assert form["language"] == "en"
    form["language"] = "xx"
    response = kari_page.post("/my/profile", **form)
    assert response.status_code == 422 and 'id="language-error"' in response.get_data(
        as_text=True)
    assert _volunteer(app, web_world.kari_id).language == "en"


def test_certificates_and_skills_are_shown_not_editable(
        kari_page: PageClient, web_world: WebWorld, app: Flask) -> None:
    _set(app, web_world.kari_id, skills=["førstehjelp"],
         certificates=[{"kind": "police", "valid_until": "2030-01-31"}])
    html = kari_page.page("/my/profile").get_data(as_text=True)
    assert "førstehjelp" in html and "Politiattest" in html and "2030" in html
    form = _profile_form(kari_page)
    form.update({"skills": "pilot", "certificates": "police"})  # not fields of the form
    kari_page.post("/my/profile", **form)
    kari = _volunteer(app, web_world.kari_id)
    assert kari.skills == ["førstehjelp"]
    assert kari.certificates == [{"kind": "police", "valid_until": "2030-01-31"}]


def test_a_change_that_breaks_a_coming_seat_is_named_and_the_coordinator_told(
        kari_page: PageClient, web_world: WebWorld, app: Flask) -> None:
    from sqlalchemy import select

    from medsam_match.models import Assignment, OutboxMessage

    make_user(app, "koordinator@arendal.kommune.no", centre_id=web_world.world.no.centre_id)
    _set(app, web_world.kari_id, weekly_availability=ALWAYS)
    # Away over the confirmed homework help (in 4 days); the proposed café in 2 days stays.
    day = local_evening(4).date()
    form = _profile_form(kari_page)
    form.update({"away-0-first": day.isoformat(), "away-0-last": day.isoformat()})
    assert kari_page.post("/my/profile", **form).status_code == 303
    html = kari_page.page("/my/profile").get_data(as_text=True)
    broken = html.split('id="broken-seats"')[1].split("</section>")[0]
    assert "Leksehjelp" in broken and "Språkkafé" not in broken
    assert "ikke tilgjengelig" in broken
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "availability_conflict")).all()
        assert [(r.address, r.payload["assignment_id"] if "assignment_id" in r.payload else
                 [a["assignment_id"] for a in r.payload["assignments"]]) for r in rows] == \
            [("koordinator@arendal.kommune.no", [web_world.confirmed_id])]
        assert rows[0].payload["assignments"][0]["rules"] == ["availability"]
        # The seat stays hers until someone acts.
        assert db.session.get(Assignment, web_world.confirmed_id).status == "confirmed"
        from medsam_match.services.notifications.render import render

        message = render(rows[0])
        assert "Kari Nordmann" in message.subject and "Leksehjelp" in message.text
    # Saving again without a new conflict tells nobody again.
    kari_page.post("/my/profile", **_profile_form(kari_page))
    with app.app_context():
        assert len(db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "availability_conflict")).all()) == 1


def test_the_same_change_through_the_api_tells_the_coordinator_too(
        client: Any, web_world: WebWorld, app: Flask) -> None:
    """A volunteer's app may PATCH the profile through the API: the
    coordinators hear of the seat it breaks as from /my/profile, and a
    coordinator's own change (their decision) sends nobody a message."""
    from sqlalchemy import select

    from medsam_match.models import OutboxMessage
    from tests.conftest import auth

    make_user(app, "koordinator@arendal.kommune.no", centre_id=web_world.world.no.centre_id)
    _set(app, web_world.kari_id, weekly_availability=ALWAYS)
    homework = local_evening(4, 16)
    away = [{"start": (homework - timedelta(hours=1)).isoformat(),
             "end": (homework + timedelta(hours=3)).isoformat()}]

    def conflicts() -> list[Any]:
        with app.app_context():
            return [row.payload for row in db.session.scalars(select(OutboxMessage).where(
                OutboxMessage.kind == "availability_conflict")).all()]

    coordinator = web_world.world.no.coordinator_token
    answer = client.patch(f"/api/v1/volunteers/{web_world.kari_id}",
                          json={"unavailable": away}, headers=auth(coordinator))
    assert answer.status_code == 200, answer.get_json()
    assert conflicts() == []
    client.patch(f"/api/v1/volunteers/{web_world.kari_id}", json={"unavailable": []},
                 headers=auth(coordinator))

    answer = client.patch(f"/api/v1/volunteers/{web_world.kari_id}",
                          json={"unavailable": away}, headers=auth(web_world.kari_token))
    assert answer.status_code == 200, answer.get_json()
    assert len(answer.get_json()["unavailable"]) == 1
    told = conflicts()
    assert [[a["assignment_id"] for a in p["assignments"]] for p in told] == \
        [[web_world.confirmed_id]]
    assert told[0]["assignments"][0]["rules"] == ["availability"]


# --- open slots -------------------------------------------------------------------

def _open_world(app: Flask, web_world: WebWorld) -> dict[str, int]:
    """A garden session in 5 days with two seats, self sign-up on, and both
    Kari and Ola free all week."""
    from medsam_match.models import Activity, Session

    for volunteer_id in (web_world.kari_id, web_world.ola_id):
        _set(app, volunteer_id, weekly_availability=ALWAYS)
    with app.app_context():
        garden = Activity(centre_id=web_world.world.no.centre_id, title="Hagelaget",
                          interests=["hage"], roles=[{"role": "helper", "min": 1, "max": 1}])
        db.session.add(garden)
        db.session.flush()
        start = local_evening(5, 10)
        row = Session(activity_id=garden.id, place_id=web_world.world.no.place_ids[0],
                      start=start, end=start + timedelta(hours=2), window_start=start,
                      window_end=start + timedelta(hours=2), status="planned")
        db.session.add(row)
        db.session.commit()
        return {"activity": garden.id, "session": row.id}


def test_open_slots_lists_free_seats_soonest_first_and_one_tap_takes_one(
        kari_page: PageClient, web_world: WebWorld, app: Flask) -> None:
    from sqlalchemy import select

    from medsam_match.models import Assignment

    ids = _open_world(app, web_world)
    _set(app, web_world.kari_id, interests=["hage"])
    html = kari_page.page("/my/open-slots").get_data(as_text=True)
    titles = re.findall(r'class="slot-title">([^<]+)<', html)
    assert "Hagelaget" in titles
    starts = re.findall(r'<time datetime="([^"]+)"', html)
    assert starts == sorted(starts) and len(starts) == len(titles)  # soonest first
    garden = html.split(f'id="s{ids["session"]}-free"')[1].split("</article>")[0]
    assert "hage" in garden and "1 ledig plass" in garden
    response = kari_page.post(f"/my/open-slots/{ids['session']}/take", role="helper")
    assert response.status_code == 303
    with app.app_context():
        row = db.session.scalars(select(Assignment).where(
            Assignment.session_id == ids["session"])).one()
        assert (row.volunteer_id, row.status, row.locked) == (web_world.kari_id, "confirmed",
                                                              True)
    page = kari_page.page(response.headers["Location"]).get_data(as_text=True)
    assert "Hagelaget" in page and "bekreftet" in page


def test_a_seat_taken_first_by_someone_else_says_so(
        kari_page: PageClient, web_world: WebWorld, app: Flask, client: Any) -> None:
    from sqlalchemy import select

    from medsam_match.models import Assignment

    ids = _open_world(app, web_world)
    assert f'id="s{ids["session"]}-free"' in kari_page.page("/my/open-slots").get_data(
        as_text=True)
    # Ola takes the only seat first (in his own browser).
    ola = PageClient(app.test_client())
    ola.sign_in(web_world.ola_token)
    assert ola.post(f"/my/open-slots/{ids['session']}/take", role="helper").status_code == 303
    response = kari_page.post(f"/my/open-slots/{ids['session']}/take", role="helper")
    assert response.status_code == 303
    page = kari_page.page(response.headers["Location"]).get_data(as_text=True)
    assert "Noen andre tok denne plassen" in page
    with app.app_context():
        rows = db.session.scalars(select(Assignment).where(
            Assignment.session_id == ids["session"])).all()
        assert [r.volunteer_id for r in rows] == [web_world.ola_id]


def test_self_signup_off_hides_the_activity(kari_page: PageClient, web_world: WebWorld,
                                            app: Flask) -> None:
    from medsam_match.models import Activity

    ids = _open_world(app, web_world)
    with app.app_context():
        db.session.get(Activity, ids["activity"]).self_signup = False
        db.session.commit()
    assert "Hagelaget" not in kari_page.page("/my/open-slots").get_data(as_text=True)
    response = kari_page.post(f"/my/open-slots/{ids['session']}/take", role="helper")
    page = kari_page.page(response.headers["Location"]).get_data(as_text=True)
    assert "slått av" in page


# --- swaps ------------------------------------------------------------------------

def test_offer_a_confirmed_seat_another_takes_it_over_and_the_first_is_told(
        kari_page: PageClient, web_world: WebWorld, app: Flask) -> None:
    from sqlalchemy import select

    from medsam_match.models import Assignment, OutboxMessage

    _open_world(app, web_world)
    _set(app, web_world.kari_id, email="kari@example.no")
    confirmed = web_world.confirmed_id
    home = kari_page.page().get_data(as_text=True)
    card = home.split(f'id="a{confirmed}"')[1].split("</article>")[0]
    assert "Finn noen som kan ta over" in card
    kari_page.post(f"/my/assignments/{confirmed}/offer")
    card = kari_page.page().get_data(as_text=True).split(f'id="a{confirmed}"')[1].split(
        "</article>")[0]
    assert "Trekk tilbudet" in card and "fortsatt din" in card

    ola = PageClient(app.test_client())
    ola.sign_in(web_world.ola_token)
    slots = ola.page("/my/open-slots").get_data(as_text=True)
    offered = slots.split(f'-{confirmed}"')[1].split("</article>")[0]
    assert "Tilbudt av en annen frivillig" in offered and "Ta over plassen" in offered
    response = ola.post(f"/my/swaps/{confirmed}/take-over")
    assert response.status_code == 303
    with app.app_context():
        original = db.session.get(Assignment, confirmed)
        assert original.status == "cancelled"
        taker = db.session.scalars(select(Assignment).where(
            Assignment.session_id == original.session_id,
            Assignment.volunteer_id == web_world.ola_id)).one()
        assert (taker.status, taker.locked) == ("confirmed", True)
        told = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.volunteer_id == web_world.kari_id)).all()
        assert [(m.kind, m.payload["assignment_id"]) for m in told] == \
            [("assignment_cancelled", confirmed)]
    # A late tap on the same offer gets a message, not an error page.
    again = ola.post(f"/my/swaps/{confirmed}/take-over")
    assert "ikke lenger tilbudt: noen andre tok den over først" in ola.page(
        again.headers["Location"]).get_data(as_text=True)
    # An offer withdrawn before the tap: no longer offered.
    with app.app_context():
        db.session.get(Assignment, taker.id).swap_offered_at = None
        db.session.commit()
    gone = ola.post(f"/my/swaps/{taker.id}/take-over")
    assert "ikke lenger tilbudt" in ola.page(gone.headers["Location"]).get_data(as_text=True)


def test_withdraw_an_offer(kari_page: PageClient, web_world: WebWorld, app: Flask) -> None:
    from medsam_match.models import Assignment

    confirmed = web_world.confirmed_id
    kari_page.post(f"/my/assignments/{confirmed}/offer")
    kari_page.post(f"/my/assignments/{confirmed}/withdraw-offer")
    with app.app_context():
        assert db.session.get(Assignment, confirmed).swap_offered_at is None
    card = kari_page.page().get_data(as_text=True).split(f'id="a{confirmed}"')[1].split(
        "</article>")[0]
    assert "Tilbudet er trukket" in card


def test_a_volunteer_cannot_act_on_anothers_seat_or_hours(
        kari_page: PageClient, web_world: WebWorld, app: Flask) -> None:
    from medsam_match.models import Assignment, HoursEntry

    with app.app_context():
        db.session.get(Assignment, web_world.ola_assignment_id).status = "confirmed"
        entry = HoursEntry(volunteer_id=web_world.ola_id, day=local_evening(-1).date(),
                           hours=2.0, note="", status="pending")
        db.session.add(entry)
        db.session.commit()
        entry_id = entry.id
    assert kari_page.post(f"/my/assignments/{web_world.ola_assignment_id}/offer"
                          ).status_code == 404
    assert kari_page.post(f"/my/hours/{entry_id}/withdraw").status_code == 404
    with app.app_context():
        assert db.session.get(Assignment, web_world.ola_assignment_id).swap_offered_at is None
        assert db.session.get(HoursEntry, entry_id) is not None
    assert "Ola" not in kari_page.page("/my/data.json").get_data(as_text=True)


# --- hours and my data -------------------------------------------------------------

def test_log_hours_pending_and_withdraw(kari_page: PageClient, web_world: WebWorld,
                                        app: Flask) -> None:
    from sqlalchemy import select

    from medsam_match.models import HoursEntry

    yesterday = local_evening(-1).date().isoformat()
    response = kari_page.post("/my/hours", day=yesterday, hours="2,5", activity_id="",
                              note="Ryddet lageret")
    assert response.status_code == 303
    html = kari_page.page("/my/hours").get_data(as_text=True)
    assert "Venter på godkjenning" in html and "Ryddet lageret" in html
    with app.app_context():
        entry = db.session.scalars(select(HoursEntry)).one()
        assert (entry.volunteer_id, entry.hours, entry.status) == (web_world.kari_id, 2.5,
                                                                   "pending")
    kari_page.post(f"/my/hours/{entry.id}/withdraw")
    with app.app_context():
        assert db.session.scalars(select(HoursEntry)).all() == []


@pytest.mark.parametrize(("form", "field"), [
    ({"hours": "25"}, "hours"), ({"hours": "-1"}, "hours"), ({"hours": "0"}, "hours"),
    ({"day": "2999-01-01"}, "day"), ({"day": "not a day"}, "day"),
    ({"activity_id": "999999"}, "activity_id"),
    ({"activity_id": "²"}, "activity_id"),  # a digit, but no number
])
def test_bad_hours_are_422_naming_the_field(kari_page: PageClient, web_world: WebWorld,
                                            app: Flask, form: dict[str, str], field: str) -> None:
    from sqlalchemy import func, select

    from medsam_match.models import HoursEntry

    sent = {"day": local_evening(-1).date().isoformat(), "hours": "2", "activity_id": "",
            "note": ""}
    sent.update(form)
    response = kari_page.post("/my/hours", **sent)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HoursEntry)) == 0


def test_hours_given_come_from_attendance_not_the_plan(
        kari_page: PageClient, web_world: WebWorld, app: Flask) -> None:
    from medsam_match.models import Assignment

    html = kari_page.page("/my/hours").get_data(as_text=True)
    assert re.search(r'id="hours-total">0 timer<', html)
    with app.app_context():
        db.session.get(Assignment, web_world.past_id).attendance = "attended"
        db.session.commit()
    html = kari_page.page("/my/hours").get_data(as_text=True)
    assert re.search(r'id="hours-total">2 timer<', html)
    assert "Språkkafé: 2 timer" in html
    came = html.split(f'id="came-{web_world.past_id}"')[1].split("</li>")[0]
    assert "du kom" in came
    old = html.split(f'id="came-{web_world.old_id}"')[1].split("</li>")[0]
    assert "ikke registrert ennå" in old


def test_download_my_data_and_ask_for_erasure(kari_page: PageClient, web_world: WebWorld,
                                              app: Flask) -> None:
    response = kari_page.page("/my/data.json")
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    document = json.loads(response.get_data(as_text=True))
    assert document["volunteer"]["name"] == "Kari Nordmann"
    assert {a["id"] for a in document["assignments"]} >= {web_world.confirmed_id}
    assert web_world.ola_assignment_id not in {a["id"] for a in document["assignments"]}

    without = kari_page.post("/my/data/erasure")
    assert "Kryss av" in kari_page.page(without.headers["Location"]).get_data(as_text=True)
    assert _volunteer(app, web_world.kari_id).erasure_requested_at is None
    kari_page.post("/my/data/erasure", understood="on")
    assert _volunteer(app, web_world.kari_id).erasure_requested_at is not None
    assert 'id="erasure-requested"' in kari_page.page("/my/data").get_data(as_text=True)
    kari_page.post("/my/data/erasure/withdraw")
    assert _volunteer(app, web_world.kari_id).erasure_requested_at is None


def test_erasure_at_once_where_configured_signs_out(
        kari_page: PageClient, web_world: WebWorld, app: Flask) -> None:
    app.config["MEDSAM_ERASURE_WITHOUT_CONFIRMATION"] = True
    response = kari_page.post("/my/data/erasure", understood="on")
    assert response.status_code == 303
    assert _volunteer(app, web_world.kari_id).erased_at is not None
    html = kari_page.page().get_data(as_text=True)
    assert 'id="token"' in html  # the sign-in page


@pytest.mark.parametrize("language", ["nb", "nn", "da", "en"])
def test_every_new_page_renders_in_each_language(
        kari_page: PageClient, web_world: WebWorld, language: str) -> None:
    kari_page.page(f"/my/?lang={language}")
    for path in ("/my/profile", "/my/open-slots", "/my/hours", "/my/data"):
        response = kari_page.page(path)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.get_data(as_text=True)


def test_the_new_pages_need_a_sign_in_and_forms_need_the_csrf_token(
        page: PageClient, kari_page: PageClient, web_world: WebWorld) -> None:
    for path in ("/my/profile", "/my/open-slots", "/my/hours", "/my/data", "/my/data.json"):
        fresh = PageClient(page.client.application.test_client())
        response = fresh.page(path)
        assert response.status_code in (302, 303), path
    no_token = kari_page.client.post(f"/my/assignments/{web_world.confirmed_id}/offer")
    assert no_token.status_code == 400
