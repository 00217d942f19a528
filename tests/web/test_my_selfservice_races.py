"""Races through the volunteer's own pages, on PostgreSQL (threads, each
with its own browser session): the last seat taken by two at once, an
offered seat taken over by two at once, and a profile saved from two
devices at once. Exactly one wins each time; the other is told in words.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from medsam_match.extensions import db
from tests.web.conftest import PageClient, WebWorld
from tests.web.test_my_selfservice import ALWAYS, _open_world, _profile_form, _set

pytestmark = pytest.mark.postgres


def _postgres_only(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")


def _signed_in(app: Flask, token: str) -> tuple[PageClient, str]:
    page = PageClient(app.test_client())
    assert page.sign_in(token).status_code == 303
    return page, page.csrf()


def _at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _notice(page: PageClient, response: Any) -> str:
    return str(page.page(response.headers["Location"]).get_data(as_text=True))


def test_two_volunteers_tap_the_last_seat_at_once(app: Flask, web_world: WebWorld) -> None:
    from sqlalchemy import select

    from medsam_match.models import Assignment

    _postgres_only(app)
    ids = _open_world(app, web_world)  # one seat
    kari, kari_csrf = _signed_in(app, web_world.kari_token)
    ola, ola_csrf = _signed_in(app, web_world.ola_token)
    path = f"/my/open-slots/{ids['session']}/take"
    results = _at_once([
        lambda: kari.client.post(path, data={"csrf_token": kari_csrf, "role": "helper"}),
        lambda: ola.client.post(path, data={"csrf_token": ola_csrf, "role": "helper"}),
    ])
    pages = [_notice(p, r) for p, r in zip((kari, ola), results, strict=True)]
    assert sum("Den er din" in p for p in pages) == 1
    assert sum("Noen andre tok denne plassen" in p for p in pages) == 1
    with app.app_context():
        rows = db.session.scalars(select(Assignment).where(
            Assignment.session_id == ids["session"])).all()
        assert len(rows) == 1 and rows[0].status == "confirmed"


def test_an_offered_seat_taken_over_by_two_at_once(app: Flask, web_world: WebWorld,
                                                   make_token: Any) -> None:
    from sqlalchemy import select

    from medsam_match.models import Assignment, Volunteer

    _postgres_only(app)
    _open_world(app, web_world)
    with app.app_context():
        third = Volunteer(centre_id=web_world.world.no.centre_id, name="Sara Ali",
                          weekly_availability=ALWAYS)
        db.session.add(third)
        db.session.commit()
        third_id = third.id
    kari, kari_csrf = _signed_in(app, web_world.kari_token)
    confirmed = web_world.confirmed_id
    kari.client.post(f"/my/assignments/{confirmed}/offer", data={"csrf_token": kari_csrf})
    ola, ola_csrf = _signed_in(app, web_world.ola_token)
    sara, sara_csrf = _signed_in(app, make_token("volunteer", volunteer_id=third_id))
    path = f"/my/swaps/{confirmed}/take-over"
    results = _at_once([
        lambda: ola.client.post(path, data={"csrf_token": ola_csrf}),
        lambda: sara.client.post(path, data={"csrf_token": sara_csrf}),
    ])
    pages = [_notice(p, r) for p, r in zip((ola, sara), results, strict=True)]
    assert sum("Den er din" in p for p in pages) == 1
    assert sum("Denne plassen er ikke lenger tilbudt" in p for p in pages) == 1
    with app.app_context():
        session_id = db.session.get(Assignment, confirmed).session_id
        standing = db.session.scalars(select(Assignment).where(
            Assignment.session_id == session_id, Assignment.status == "confirmed")).all()
        assert [a.volunteer_id for a in standing] in ([web_world.ola_id], [third_id])
        assert db.session.get(Assignment, confirmed).status == "cancelled"


def test_a_profile_saved_from_two_devices_at_once(app: Flask, web_world: WebWorld) -> None:
    from medsam_match.models import Volunteer

    _postgres_only(app)
    _set(app, web_world.kari_id, weekly_availability=[
        {"weekday": 1, "start": "17:00", "end": "19:00"}])
    phone, phone_csrf = _signed_in(app, web_world.kari_token)
    laptop, laptop_csrf = _signed_in(app, web_world.kari_token)
    first, second = _profile_form(phone), _profile_form(laptop)  # the same version
    first["win-0-end"], second["win-0-end"] = "20:00", "21:00"
    results = _at_once([
        lambda: phone.client.post("/my/profile", data={**first, "csrf_token": phone_csrf}),
        lambda: laptop.client.post("/my/profile", data={**second, "csrf_token": laptop_csrf}),
    ])
    pages = [_notice(p, r) for p, r in zip((phone, laptop), results, strict=True)]
    saved = [i for i, p in enumerate(pages) if "Lagret" in p]
    assert len(saved) == 1
    assert "endret et annet sted" in pages[1 - saved[0]]
    with app.app_context():
        kari = db.session.get(Volunteer, web_world.kari_id)
        assert kari.weekly_availability[0]["end"] == ("20:00", "21:00")[saved[0]]
