"""Volunteers with assignments around today, and a signed-in page client.

Rows are made directly (a published plan as the planning tests make it takes
a solver run; the page only needs the rows a plan leaves behind). Times are
relative to now, in Arendal's zone, so the tests do not age.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.extensions import db
from tests.conftest import World

OSLO = ZoneInfo("Europe/Oslo")
CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')


def local_evening(days_ahead: int, hour: int = 17, zone: ZoneInfo = OSLO) -> datetime:
    """`hour`:00 local time, `days_ahead` days from today."""
    day = datetime.now(zone).date() + timedelta(days=days_ahead)
    return datetime.combine(day, time(hour, 0), tzinfo=zone)


@dataclass
class WebWorld:
    world: World
    kari_id: int  # Arendal (nb), has assignments of every kind
    kari_token: str
    ola_id: int  # Arendal, one proposed assignment of his own
    ola_token: str
    mette_id: int  # Aarhus (da), no assignments
    mette_token: str
    proposed_id: int  # Kari, language café in 2 days, proposed
    confirmed_id: int  # Kari, homework help in 4 days, confirmed
    declined_id: int  # Kari, café in 9 days, declined yesterday
    cancelled_id: int  # Kari, a cancelled session in 6 days
    past_id: int  # Kari, café 3 days ago, confirmed
    old_id: int  # Kari, café 40 days ago, confirmed
    ola_assignment_id: int
    proposed_start: datetime


def _session(activity_id: int, place_id: int | None, start: datetime, hours: float = 2,
             status: str = "planned") -> int:
    from medsam_match.models import Session

    end = start + timedelta(hours=hours)
    row = Session(activity_id=activity_id, place_id=place_id, start=start, end=end,
                  window_start=start, window_end=end, status=status)
    db.session.add(row)
    db.session.flush()
    return row.id


def _assignment(volunteer_id: int, session_id: int, role: str, status: str,
                updated_at: datetime | None = None) -> int:
    from medsam_match.models import Assignment

    row = Assignment(volunteer_id=volunteer_id, session_id=session_id, role=role, status=status)
    if updated_at is not None:
        row.created_at = row.updated_at = updated_at
    db.session.add(row)
    db.session.flush()
    return row.id


def build_web_world(app: Flask, world: World, make_token: Callable[..., str]) -> WebWorld:
    from medsam_match.models import Activity, Place, Volunteer
    from medsam_match.models.types import utcnow

    with app.app_context():
        place = db.session.get(Place, world.no.place_ids[0])
        place.address = "Torvet 6, 4836 Arendal"
        cafe = Activity(centre_id=world.no.centre_id, title="Språkkafé",
                        roles=[{"role": "host", "min": 1, "max": 1},
                               {"role": "helper", "min": 0, "max": 2}])
        homework = Activity(centre_id=world.no.centre_id, title="Leksehjelp; 5.–7. trinn",
                            roles=[{"role": "Hjelper", "min": 1, "max": 2}])
        kari = Volunteer(centre_id=world.no.centre_id, name="Kari Nordmann")
        ola = Volunteer(centre_id=world.no.centre_id, name="Ola Hansen")
        mette = Volunteer(centre_id=world.dk.centre_id, name="Mette Jensen")
        db.session.add_all([cafe, homework, kari, ola, mette])
        db.session.flush()
        place_id = place.id
        soon = local_evening(2)
        sessions = {
            "soon": _session(cafe.id, place_id, soon),
            "homework": _session(homework.id, place_id, local_evening(4, 16), 1.5),
            "later": _session(cafe.id, place_id, local_evening(9)),
            "cancelled": _session(cafe.id, place_id, local_evening(6), status="cancelled"),
            "past": _session(cafe.id, place_id, local_evening(-3)),
            "old": _session(cafe.id, place_id, local_evening(-40)),
        }
        ids = {
            "proposed": _assignment(kari.id, sessions["soon"], "host", "proposed"),
            "confirmed": _assignment(kari.id, sessions["homework"], "Hjelper", "confirmed"),
            "declined": _assignment(kari.id, sessions["later"], "host", "declined",
                                    utcnow() - timedelta(days=1)),
            "cancelled": _assignment(kari.id, sessions["cancelled"], "host", "cancelled"),
            "past": _assignment(kari.id, sessions["past"], "host", "confirmed"),
            "old": _assignment(kari.id, sessions["old"], "host", "confirmed"),
            "ola": _assignment(ola.id, sessions["soon"], "helper", "proposed"),
        }
        db.session.commit()
        people = (kari.id, ola.id, mette.id)
    tokens = [make_token("volunteer", volunteer_id=vid) for vid in people]
    return WebWorld(
        world, people[0], tokens[0], people[1], tokens[1], people[2], tokens[2],
        ids["proposed"], ids["confirmed"], ids["declined"], ids["cancelled"], ids["past"],
        ids["old"], ids["ola"], soon,
    )


@pytest.fixture
def web_world(app: Flask, world: World, make_token: Callable[..., str]) -> WebWorld:
    return build_web_world(app, world, make_token)


def csrf_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


class PageClient:
    """The Flask test client, with the steps a volunteer's browser takes."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def page(self, path: str = "/my/", **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def csrf(self) -> str:
        return csrf_from(self.page().get_data(as_text=True))

    def sign_in(self, token: str) -> Any:
        return self.client.post("/my/sign-in", data={"token": token, "csrf_token": self.csrf()})

    def post(self, path: str, **form: str) -> Any:
        return self.client.post(path, data={"csrf_token": self.csrf(), **form})


@pytest.fixture
def page(client: FlaskClient) -> PageClient:
    return PageClient(client)


@pytest.fixture
def kari_page(page: PageClient, web_world: WebWorld) -> PageClient:
    response = page.sign_in(web_world.kari_token)
    assert response.status_code == 303, response.get_data(as_text=True)
    return page
