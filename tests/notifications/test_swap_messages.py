"""A seat offered as a swap reaches, by message, the volunteers who may take
it over (the solver's rules, their channel choice), and a coordinator
cancelling the swap tells the offering volunteer (services/swaps.py)."""

from __future__ import annotations

import re
import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.extensions import db
from medsam_match.models import Assignment, OutboxMessage, Volunteer
from medsam_match.services import swaps
from tests.api.manual_world import ALL_WEEK, ManualWorld, build_manual_world
from tests.conftest import World, auth
from tests.web.conftest import PageClient

from .conftest import Gateway, SmtpServer
from .helpers import html_of, send, send_once_due, text_of

OPEN_SLOTS = re.compile(r"https://medsam\.test(/my/open-slots)\b")


@pytest.fixture
def mw(mail_app: Flask, world: World) -> ManualWorld:
    mw = build_manual_world(mail_app, world)
    with mail_app.app_context():
        for volunteer in db.session.query(Volunteer).filter(
                Volunteer.id.in_([mw.amira, mw.yusuf, mw.ola, mw.sara, mw.farid, mw.hassan,
                                  mw.other_centre_volunteer])):
            volunteer.email = f"{volunteer.name.split()[0].lower()}@example.test"
        # Two more who may take the seat: one wants no messages, one SMS only.
        db.session.add_all([
            Volunteer(centre_id=world.no.centre_id, name="Nadia Saleh", languages=["ar"],
                      weekly_availability=ALL_WEEK, email="nadia@example.test",
                      notify_channel="none"),
            Volunteer(centre_id=world.no.centre_id, name="Leila Musa", languages=["ar"],
                      weekly_availability=ALL_WEEK, email="leila@example.test",
                      phone="+4791234567", notify_channel="sms"),
        ])
        db.session.commit()
    return mw


def _offer(client: FlaskClient, mw: ManualWorld, make_token) -> int:  # type: ignore[no-untyped-def]
    yusuf = auth(make_token("volunteer", volunteer_id=mw.yusuf))
    seat = client.post(f"/api/v1/open-slots/{mw.session_id}/host:take", headers=yusuf)
    assert seat.status_code == 201, seat.json
    offered = client.post(f"/api/v1/assignments/{seat.json['id']}:offer", headers=yusuf)
    assert offered.status_code == 200, offered.json
    return int(seat.json["id"])


def test_an_offer_mails_each_volunteer_who_may_take_it_once_and_the_link_opens_their_list(
        mail_app: Flask, client: FlaskClient, mw: ManualWorld, smtp: SmtpServer,
        sms_gateway: Gateway, make_token) -> None:  # type: ignore[no-untyped-def]
    seat = _offer(client, mw, make_token)
    outcome = send_once_due(mail_app)  # Leila's SMS waits out quiet hours
    assert outcome.failed == [] and len(outcome.sent) == 2
    mailed = sorted(address for m in smtp.messages for address in m["To"].addresses
                    for address in [address.addr_spec])
    # Amira fits; Yusuf offers it; Ola lacks Arabic, Sara is away that evening,
    # Farid lives too far, Hassan is in another session then, Mette is in
    # another centre; Nadia chose no messages; Leila chose SMS.
    assert mailed == ["amira@example.test"]
    (mail,) = smtp.to("amira@example.test")
    assert "Språkkafé på arabisk" in mail["Subject"]
    text = text_of(mail)
    assert "Språkkafé på arabisk" in text and "kl. 17.00" in text
    with mail_app.app_context():
        place = db.session.get(Assignment, seat).session.place.name
    assert place in text and place in html_of(mail)
    (sms,) = sms_gateway.requests
    assert sms["to"] == "+4791234567" and "/my/open-slots" in sms["message"]

    # The link opens Amira's open slots, where the offered seat waits for her.
    (path,) = OPEN_SLOTS.findall(text)
    page = PageClient(client)
    assert page.sign_in(make_token("volunteer", volunteer_id=mw.amira)).status_code == 303
    opened = page.page(path)
    assert opened.status_code == 200
    body = opened.get_data(as_text=True)
    assert "Språkkafé på arabisk" in body and f"/my/swaps/{seat}/take-over" in body

    # Nothing more goes out later: one message each.
    send(mail_app)
    assert len(smtp.messages) == 1 and len(sms_gateway.requests) == 1


def test_a_coordinator_cancelling_the_swap_tells_the_offering_volunteer(
        mail_app: Flask, client: FlaskClient, mw: ManualWorld, smtp: SmtpServer,
        make_token) -> None:  # type: ignore[no-untyped-def]
    seat = _offer(client, mw, make_token)
    send(mail_app)
    before = len(smtp.messages)
    assert client.post(f"/api/v1/swaps/{seat}:cancel",
                       headers=auth(mw.world.no.coordinator_token)).status_code == 200
    send(mail_app)
    (told,) = smtp.messages[before:]
    assert [a.addr_spec for a in told["To"].addresses] == ["yusuf@example.test"]
    assert "Språkkafé på arabisk" in told["Subject"]
    assert "fortsatt ditt" in text_of(told)  # the centre's language: nb
    # The coordinator's message list names both kinds in words.
    from tests.web.staff import Workspace, make_user

    make_user(mail_app, "kari@arendal.test", centre_id=mw.world.no.centre_id)
    staff = mail_app.test_client()
    Workspace(staff).sign_in("kari@arendal.test")
    listed = staff.get("/messages").text
    assert "Plass tilbudt til overtakelse" in listed and "Byttetilbud avlyst" in listed
    # The volunteer withdrawing the offer themselves is not told of it.
    yusuf = auth(make_token("volunteer", volunteer_id=mw.yusuf))
    assert client.post(f"/api/v1/assignments/{seat}:offer", headers=yusuf).status_code == 200
    send(mail_app)
    before = len(smtp.messages)
    assert client.post(f"/api/v1/assignments/{seat}:withdraw-offer", headers=yusuf).status_code == 200
    send(mail_app)
    assert smtp.messages[before:] == []


def test_a_large_centre_hears_of_an_offer_from_its_best_fitting_volunteers_only(
        mail_app: Flask, client: FlaskClient, mw: ManualWorld, make_token,
        monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(swaps, "SWAP_MESSAGE_LIMIT", 2)
    with mail_app.app_context():
        db.session.add_all([
            Volunteer(centre_id=mw.world.no.centre_id, name=f"Arabisk {i}", languages=["ar"],
                      weekly_availability=ALL_WEEK, email=f"arabisk{i}@example.test",
                      interests=["language"] if i == 3 else [])
            for i in range(5)])
        db.session.commit()
    seat = _offer(client, mw, make_token)
    with mail_app.app_context():
        rows = db.session.query(OutboxMessage).filter_by(kind="swap_offered").all()
        told = sorted(r.address for r in rows)
        assert all(r.payload["assignment_id"] == seat for r in rows)
    # Two volunteers reached, the one sharing the activity's interest first.
    assert len(told) == 2 and "arabisk3@example.test" in told


@pytest.mark.postgres
def test_the_same_seat_offered_twice_at_once_is_announced_once(
        mail_app: Flask, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    if mail_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    client = mail_app.test_client()
    yusuf = auth(make_token("volunteer", volunteer_id=mw.yusuf))
    seat = client.post(f"/api/v1/open-slots/{mw.session_id}/host:take", headers=yusuf).json["id"]
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def offer() -> None:
        own = mail_app.test_client()
        barrier.wait()
        codes.append(own.post(f"/api/v1/assignments/{seat}:offer", headers=yusuf).status_code)

    threads = [threading.Thread(target=offer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 409]
    with mail_app.app_context():
        rows = db.session.query(OutboxMessage).filter_by(kind="swap_offered").all()
        assert sorted(r.address for r in rows) == ["+4791234567", "amira@example.test"]
