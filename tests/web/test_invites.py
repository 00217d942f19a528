"""One-time sign-in links: made by the coordinator through the API (with a
QR code), used once on /my/invite/<code>, expiring, scoped to the centre."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from medsam_match.extensions import db
from medsam_match.models import VolunteerInvite, VolunteerSession
from medsam_match.models.types import utcnow
from medsam_match.services import invites
from tests.conftest import auth
from tests.web.conftest import csrf_from


def make_invite(client: Any, token: str, volunteer_id: int) -> Any:
    return client.post(f"/api/v1/volunteers/{volunteer_id}/invites", headers=auth(token))


def code_of(answer: dict[str, Any]) -> str:
    return answer["url"].rsplit("/", 1)[1]


def open_and_tap(client: Any, url_path: str) -> Any:
    page = client.get(url_path)
    assert page.status_code == 200, page.get_data(as_text=True)
    return client.post(url_path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})


def test_the_coordinator_gets_a_link_and_a_qr_code(app, client, web_world):
    response = make_invite(client, web_world.world.no.coordinator_token, web_world.kari_id)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["volunteer_id"] == web_world.kari_id
    assert answer["url"].startswith("http://localhost/my/invite/")
    assert len(code_of(answer)) >= 43
    assert answer["qr_svg"].startswith("<svg") and "<path" in answer["qr_svg"]
    assert answer["qr_png_url"].startswith("data:image/png;base64,")
    # seven days, in Arendal's time
    assert answer["expires_at"].endswith(("+01:00", "+02:00"))
    with app.app_context():
        stored = db.session.scalars(select(VolunteerInvite)).one()
        assert stored.code_hash != code_of(answer)  # only the hash is kept
        assert code_of(answer) not in stored.code_hash
        assert timedelta(days=6, hours=23) < stored.expires_at - stored.created_at <= timedelta(days=7)


def test_the_link_signs_in_once(app, client, web_world):
    answer = make_invite(client, web_world.world.no.coordinator_token, web_world.kari_id).get_json()
    path = f"/my/invite/{code_of(answer)}"
    # opening the link alone (a link preview, a scanner) uses nothing up
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200

    tapped = open_and_tap(client, path)
    assert tapped.status_code == 303 and tapped.headers["Location"].endswith("/my/")
    home = client.get("/my/").get_data(as_text=True)
    assert "Kari Nordmann" in home or "Språkkafé" in home  # Kari's own page

    # a second browser tries the same link: refused, and told why
    other = app.test_client()
    again = other.get(path)
    assert again.status_code == 410
    assert "already been used" in again.get_data(as_text=True) or "allerede" in again.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(VolunteerSession)) == 1


def test_an_expired_link_is_refused(app, client, web_world):
    answer = make_invite(client, web_world.world.no.coordinator_token, web_world.kari_id).get_json()
    with app.app_context():
        db.session.execute(update(VolunteerInvite).values(
            expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    page = client.get(f"/my/invite/{code_of(answer)}", headers={"Accept-Language": "en"})
    assert page.status_code == 410
    assert "has expired" in page.get_data(as_text=True)
    with app.app_context():
        refused = None
        try:
            invites.redeem_invite(code_of(answer), timedelta(days=1))
        except invites.InviteRefused as error:
            refused = error.reason
        assert refused == "expired"
        assert db.session.scalars(select(VolunteerInvite)).one().used_at is None


def test_an_unknown_link_is_404(client, web_world):
    assert client.get("/my/invite/not-a-real-code").status_code == 404


def test_only_the_volunteers_own_centre_may_invite(client, web_world, make_token):
    world = web_world.world
    # Aarhus' coordinator and Hisøy's (the other Arendal centre) do not see Kari
    assert make_invite(client, world.dk.coordinator_token, web_world.kari_id).status_code == 404
    hisoy = world.no.coordinator_tokens[world.no.centre_ids[1]]
    assert make_invite(client, hisoy, web_world.kari_id).status_code == 404
    # a volunteer does not invite themselves
    assert make_invite(client, web_world.kari_token, web_world.kari_id).status_code == 403
    # Arendal's municipality and the admin may
    assert make_invite(client, world.no.municipality_token, web_world.kari_id).status_code == 201
    assert make_invite(client, world.admin_token, web_world.kari_id).status_code == 201


def test_two_taps_at_once_sign_in_once(app, web_world):
    """Two devices use the same link at the same moment: exactly one signs in
    (the conditional UPDATE; on PostgreSQL the two really run concurrently)."""
    with app.app_context():
        from medsam_match.auth import Principal

        coordinator = Principal(role="coordinator", centre_id=web_world.world.no.centre_id,
                                municipality_id=web_world.world.no.municipality_id)
        code = invites.create_invite(coordinator, web_world.kari_id).code
    for _round in range(5):
        with app.app_context():
            db.session.execute(update(VolunteerInvite).values(used_at=None, token_id=None))
            db.session.commit()
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def tap(barrier: threading.Barrier = barrier, outcomes: list[str] = outcomes) -> None:
            with app.app_context():
                try:
                    barrier.wait(30)
                    invites.redeem_invite(code, timedelta(days=1))
                    outcomes.append("signed in")
                except invites.InviteRefused as refused:
                    outcomes.append(refused.reason)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=tap) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(outcomes) == ["signed in", "used"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(VolunteerSession)) == 5
