"""The workspace's template library: browse and search, a template's page
naming the roles the importer's centre cannot fill, an import refused with
a clear message (nothing made) unless "adapt" is ticked, an import that
makes a valid activity (its sessions form filled from the template's week
and the chosen place), publishing from an activity's page, and scope."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from medsam_match.auth import Principal
from medsam_match.extensions import db
from medsam_match.models import Activity, ActivityTemplate, Assignment, Session, Volunteer
from medsam_match.services import templates as service
from tests.web.staff import Workspace, csrf_of, make_user

FIVE = "&lt; 5"
OSLO = ZoneInfo("Europe/Oslo")


def published_template(app, world) -> int:  # type: ignore[no-untyped-def]
    """Arendal's language café (its hosts need 'norsk'), one session last
    fortnight with three volunteers: published by its coordinator."""
    with app.app_context():
        activity = Activity(centre_id=world.no.centre_id, title="Språkkafé",
                            description="Norsk over en kopp kaffe", interests=["language"],
                            needs=["wifi", "kitchen"],
                            roles=[{"role": "host", "min": 2, "max": 3, "skills": ["norsk"]},
                                   {"role": "barista", "min": 1, "max": 1}])
        db.session.add(activity)
        db.session.flush()
        volunteers = [Volunteer(centre_id=world.no.centre_id, name=f"V{i}") for i in range(3)]
        db.session.add_all(volunteers)
        db.session.flush()
        # A Tuesday two or three weeks ago, 17:00 Oslo time, two hours.
        day = (datetime.now(OSLO) - timedelta(days=14)).date()
        day -= timedelta(days=(day.weekday() - 1) % 7)
        start = datetime.combine(day, time(17, 0), tzinfo=OSLO).astimezone(UTC)
        session = Session(activity_id=activity.id, start=start, end=start + timedelta(hours=2),
                          window_start=start, window_end=start + timedelta(hours=2),
                          status="scheduled", participants=9)
        db.session.add(session)
        db.session.flush()
        for v in volunteers:
            db.session.add(Assignment(session_id=session.id, volunteer_id=v.id, role="host",
                                      status="confirmed", attendance="attended"))
        db.session.commit()
        principal = Principal(role="coordinator", centre_id=world.no.centre_id,
                              municipality_id=world.no.municipality_id)
        return service.publish(principal, activity.id, {}).id


@pytest.fixture
def template_id(app, world) -> int:  # type: ignore[no-untyped-def]
    return published_template(app, world)


def signed_in(app, client, email: str, **scope) -> Workspace:  # type: ignore[no-untyped-def]
    make_user(app, email, **scope)
    ws = Workspace(client)
    assert ws.sign_in(email).status_code == 303
    # The user's own pick (kept with the account): English.
    assert ws.post("/language", page="/templates", language="en").status_code in (302, 303)
    return ws


def _activities(app, centre_id: int) -> list[Activity]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.query(Activity).filter_by(centre_id=centre_id).all()
        db.session.expunge_all()
        return rows


def test_the_library_lists_and_searches_with_suppressed_figures(app, client, world, template_id):
    ws = signed_in(app, client, "mette@aarhus.dk", centre_id=world.dk.centre_id)
    html = ws.client.get("/templates", headers={"Accept-Language": "en"}).get_data(as_text=True)
    card = html.split(f'data-template="{template_id}"')[1].split("</li>\n")[0]
    assert "Språkkafé" in card and "From Arendal, in Norwegian Bokmål" in card
    assert "Tuesday at 17:00, 2 h" in card
    assert 'data-figure="sessions_held">1<' in card
    assert 'data-figure="participants_reached">9<' in card
    # Three volunteers: their hours and their number are not shown.
    assert f'data-figure="hours_given">{FIVE}<' in card
    assert f'data-figure="volunteers_engaged">{FIVE}<' in card
    for query, hit in [("interest=language", True), ("interest=sport", False),
                       ("country=DK", False), ("country=NO", True), ("q=kaffe", True),
                       ("size=small", True), ("size=large", False)]:
        page = ws.client.get(f"/templates?{query}").get_data(as_text=True)
        assert (f'data-template="{template_id}"' in page) is hit, query
        assert ('id="no-templates"' in page) is not hit, query


def test_an_import_the_centre_cannot_staff_is_refused_clearly_and_makes_nothing(
        app, client, world, template_id):
    ws = signed_in(app, client, "mette@aarhus.dk", centre_id=world.dk.centre_id)
    page = ws.client.get(f"/templates/{template_id}", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    notice = html.split('id="unfillable"')[1].split("</div>")[0]
    assert "host needs norsk" in notice and "barista" not in notice
    refused = ws.client.post(f"/templates/{template_id}/import",
                             data={"csrf_token": csrf_of(html), "place_id": ""},
                             headers={"Accept-Language": "en"})
    assert refused.status_code == 422
    message = refused.get_data(as_text=True).split('id="adapt-error">')[1].split("</p>")[0]
    assert message.startswith("Nothing was imported: some roles need skills none of this "
                              "centre&#39;s volunteers has")
    assert _activities(app, world.dk.centre_id) == []


def test_an_import_with_adapt_makes_a_valid_activity_and_fills_its_sessions_form(
        app, client, world, template_id):
    ws = signed_in(app, client, "mette@aarhus.dk", centre_id=world.dk.centre_id)
    html = ws.client.get(f"/templates/{template_id}").get_data(as_text=True)
    place = world.dk.place_ids[0]
    done = ws.client.post(f"/templates/{template_id}/import",
                          data={"csrf_token": csrf_of(html), "adapt": "on",
                                "place_id": str(place), "title": "Sprogcafé"},
                          headers={"Accept-Language": "en"})
    assert done.status_code == 303
    (activity,) = _activities(app, world.dk.centre_id)
    assert activity.title == "Sprogcafé" and activity.interests == ["language"]
    assert [r["skills"] for r in activity.roles if "skills" in r] == [[]]
    location = done.headers["Location"]
    assert location.startswith(f"/activities/{activity.id}?")
    for part in ("weekday=1", "start=17:00", "end=19:00", f"place_id={place}"):
        assert part in location
    page = ws.client.get(location, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sprogcafé is imported as a new activity." in page
    assert "The role host no longer needs norsk: none of your volunteers has it." in page
    assert "lacks kitchen" in page  # Dokk1 has wifi, not a kitchen
    assert re.search(r'name="weekday" value="1" checked', page)
    assert f'<option value="{place}" selected>' in page
    # An address changed by hand ("²" is a digit, but no number) is ignored, not a failure.
    odd = ws.client.get(f"/activities/{activity.id}?weekday=²&place_id=²")
    assert odd.status_code == 200
    assert not re.search(r'name="weekday" value="\d" checked', odd.get_data(as_text=True))
    # The template is as it was.
    with app.app_context():
        template = db.session.get(ActivityTemplate, template_id)
        assert template.roles[0]["skills"] == ["norsk"] and template.title == "Språkkafé"


def test_a_coordinator_shares_an_activity_from_its_page(app, client, world):
    with app.app_context():
        activity = Activity(centre_id=world.dk.centre_id, title="Gåtur",
                            roles=[{"role": "guide", "min": 1, "max": 2}])
        db.session.add(activity)
        db.session.commit()
        activity_id = activity.id
    ws = signed_in(app, client, "mette@aarhus.dk", centre_id=world.dk.centre_id)
    page = ws.client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert 'id="publish-template"' in page
    shared = ws.client.post(f"/activities/{activity_id}/template",
                            data={"csrf_token": csrf_of(page)})
    assert shared.status_code == 303
    with app.app_context():
        template = db.session.query(ActivityTemplate).one()
        assert (template.title, template.source_name, template.country) == (
            "Gåtur", "Aarhus", "DK")
    assert shared.headers["Location"] == f"/templates/{template.id}"


def test_scope_another_centre_an_unknown_template_and_a_foreign_activity(
        app, client, world, template_id):
    ws = signed_in(app, client, "mette@aarhus.dk", centre_id=world.dk.centre_id)
    html = ws.client.get(f"/templates/{template_id}").get_data(as_text=True)
    other = ws.client.post(f"/templates/{template_id}/import",
                           data={"csrf_token": csrf_of(html), "adapt": "on",
                                 "centre_id": str(world.no.centre_id)})
    assert other.status_code == 422  # only its own centre
    assert _activities(app, world.dk.centre_id) == []
    # A place of another municipality (an address changed by hand): named, nothing made.
    foreign_place = ws.client.post(f"/templates/{template_id}/import",
                                   data={"csrf_token": csrf_of(html), "adapt": "on",
                                         "place_id": str(world.no.place_ids[0])},
                                   headers={"Accept-Language": "en"})
    assert foreign_place.status_code == 422
    assert ('id="place_id-error">Pick one of the municipality&#39;s places.'
            in foreign_place.get_data(as_text=True))
    assert _activities(app, world.dk.centre_id) == []
    assert len(_activities(app, world.no.centre_id)) == 1  # the template's own, untouched
    assert ws.client.get("/templates/999999").status_code == 404
    with app.app_context():
        foreign = db.session.query(Activity).filter_by(centre_id=world.no.centre_id).one().id
    assert ws.client.post(f"/activities/{foreign}/template",
                          data={"csrf_token": csrf_of(html)}).status_code == 404
    with app.app_context():
        assert db.session.query(ActivityTemplate).count() == 1
