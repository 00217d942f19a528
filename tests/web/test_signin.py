"""Signing in to /my/ with a personal volunteer token, and out again."""

from __future__ import annotations

import pytest
from flask import Flask

from medsam_match.extensions import db
from tests.web.conftest import PageClient, WebWorld, csrf_from


def test_the_sign_in_page_has_a_labelled_field_and_no_assignments(page: PageClient) -> None:
    response = page.page()
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<label for="token">Personlig kode</label>' in html
    assert 'id="token" name="token" type="password"' in html
    assert 'name="viewport"' in html
    assert 'action="/my/sign-in"' in html


def test_a_volunteer_token_signs_in_and_the_cookie_is_guarded(
    page: PageClient, web_world: WebWorld
) -> None:
    response = page.sign_in(web_world.kari_token)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/my/")
    cookie = response.headers["Set-Cookie"]
    for flag in ("HttpOnly", "SameSite=Lax", "Secure", "Path=/my/"):
        assert flag in cookie
    assert web_world.kari_token not in cookie
    html = page.page().get_data(as_text=True)
    assert "Hei, Kari!" in html
    assert "Logg ut" in html


def test_a_wrong_token_gets_a_clear_message(page: PageClient, web_world: WebWorld) -> None:
    response = page.sign_in("msm_not-a-real-token")
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Koden er ikke riktig" in html
    assert 'aria-invalid="true"' in html
    assert "Hei, Kari" not in page.page().get_data(as_text=True)


def test_an_empty_token_asks_for_one(page: PageClient) -> None:
    response = page.sign_in("   ")
    assert response.status_code == 422
    assert "Skriv inn koden din." in response.get_data(as_text=True)


def test_coordinator_and_admin_tokens_are_refused(page: PageClient, web_world: WebWorld) -> None:
    for token in (web_world.world.no.coordinator_token, web_world.world.admin_token,
                  web_world.world.no.municipality_token):
        response = page.sign_in(token)
        assert response.status_code == 401
        assert "Dette er ikke en kode for frivillige" in response.get_data(as_text=True)
        assert "Logg ut" not in page.page().get_data(as_text=True)


def test_a_revoked_token_cannot_sign_in_and_revoking_ends_a_sign_in(
    app: Flask, page: PageClient, web_world: WebWorld
) -> None:
    from medsam_match.models import ApiToken
    from medsam_match.models.types import utcnow

    assert page.sign_in(web_world.kari_token).status_code == 303
    with app.app_context():
        for row in db.session.query(ApiToken).filter_by(volunteer_id=web_world.kari_id):
            row.revoked_at = utcnow()
        db.session.commit()
    html = page.page().get_data(as_text=True)
    assert "Koden din gjelder ikke lenger" in html
    assert "Språkkafé" not in html
    assert page.sign_in(web_world.kari_token).status_code == 401


def test_an_erased_volunteer_cannot_sign_in(
    app: Flask, page: PageClient, web_world: WebWorld
) -> None:
    from medsam_match.models import Volunteer
    from medsam_match.models.types import utcnow

    with app.app_context():
        db.session.get(Volunteer, web_world.ola_id).erased_at = utcnow()
        db.session.commit()
    assert page.sign_in(web_world.ola_token).status_code == 401


def test_sign_in_without_the_csrf_token_is_refused(page: PageClient, web_world: WebWorld) -> None:
    page.page()
    response = page.client.post("/my/sign-in", data={"token": web_world.kari_token})
    assert response.status_code == 400
    assert "Skjemaet var utløpt" in response.get_data(as_text=True)
    assert "Logg ut" not in page.page().get_data(as_text=True)


def test_sign_out_forgets_the_volunteer(kari_page: PageClient) -> None:
    response = kari_page.post("/my/sign-out")
    assert response.status_code == 303
    html = kari_page.page().get_data(as_text=True)
    assert "Du er logget ut." in html
    assert "Språkkafé" not in html
    assert 'action="/my/sign-in"' in html


def test_signing_out_ends_a_copied_cookie_too(app: Flask, kari_page: PageClient) -> None:
    cookie = kari_page.client.get_cookie("medsam_my", path="/my/")
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie("medsam_my", cookie.value, path="/my/")
    assert "Hei, Kari!" in copy.get("/my/").get_data(as_text=True)
    kari_page.post("/my/sign-out")
    html = copy.get("/my/").get_data(as_text=True)
    assert "Hei, Kari!" not in html
    assert "Språkkafé" not in html
    assert 'action="/my/sign-in"' in html


def test_a_cookie_forged_with_the_secret_key_signs_nobody_in(
    app: Flask, page: PageClient, web_world: WebWorld
) -> None:
    """Whoever knows the secret key can sign any cookie, but a sign-in is a
    random nonce the server made: ids alone open nothing."""
    from medsam_match.models import ApiToken

    page.sign_in(web_world.kari_token)
    with app.app_context():
        token_ids = [row.id for row in db.session.query(ApiToken)]
        serializer = app.session_interface.get_signing_serializer(app)
        forged = [serializer.dumps(content) for content in (
            *({"volunteer_id": web_world.kari_id, "token_id": token_id} for token_id in token_ids),
            {"sid": "1"}, {"sid": str(web_world.kari_id)}, {"sid": ""},
        )]
    for value in forged:
        client = app.test_client()
        client.set_cookie("medsam_my", value, path="/my/")
        html = client.get("/my/").get_data(as_text=True)
        assert "Hei, Kari!" not in html and "Språkkafé" not in html


def test_a_sign_in_runs_out_after_its_lifetime(app: Flask, kari_page: PageClient) -> None:
    from medsam_match.models import VolunteerSession
    from medsam_match.models.types import utcnow

    with app.app_context():
        for row in db.session.query(VolunteerSession):
            row.expires_at = utcnow()
        db.session.commit()
    assert "Hei, Kari!" not in kari_page.page().get_data(as_text=True)


def test_a_visit_moves_the_end_of_the_sign_in_on(app: Flask, kari_page: PageClient) -> None:
    from datetime import timedelta

    from medsam_match.models import VolunteerSession
    from medsam_match.models.types import utcnow

    with app.app_context():
        for row in db.session.query(VolunteerSession):
            row.expires_at = utcnow() + timedelta(hours=1)
        db.session.commit()
    assert "Hei, Kari!" in kari_page.page().get_data(as_text=True)
    with app.app_context():
        ends = [row.expires_at for row in db.session.query(VolunteerSession)]
    assert ends and all(end > utcnow() + timedelta(days=29) for end in ends)


def test_sign_in_starts_a_new_session_with_a_new_csrf_token(
    page: PageClient, web_world: WebWorld
) -> None:
    before = page.csrf()
    page.client.post("/my/sign-in", data={"token": web_world.kari_token, "csrf_token": before})
    after = csrf_from(page.page().get_data(as_text=True))
    assert after != before


def test_failed_sign_ins_are_limited_per_address(app: Flask, page: PageClient,
                                                 web_world: WebWorld) -> None:
    from medsam_match.ratelimit import limiter

    app.config["MEDSAM_FAILED_LOGINS_PER_MINUTE"] = 3
    limiter.reset()
    for _ in range(3):
        assert page.sign_in("msm_guess").status_code == 401
    response = page.sign_in("msm_guess")
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert f"For mange feil forsøk. Vent {wait} sekunder" in response.get_data(as_text=True)
    # A right code from the same address (everyone behind one proxy) still
    # signs in: only wrong ones wait.
    same_address = PageClient(app.test_client())
    assert same_address.sign_in(web_world.kari_token).status_code == 303
    assert "Hei, Kari!" in same_address.page().get_data(as_text=True)
    assert page.sign_in("msm_guess").status_code == 429
    # Another address is not affected.
    other = PageClient(app.test_client())
    other_response = other.client.post(
        "/my/sign-in", data={"token": "msm_guess", "csrf_token": other.csrf()},
        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other_response.status_code == 401
    # The next window starts afresh.
    limiter.reset()
    assert page.sign_in(web_world.kari_token).status_code == 303


def test_a_failure_limit_of_zero_turns_the_limit_off(app: Flask, page: PageClient) -> None:
    app.config["MEDSAM_FAILED_LOGINS_PER_MINUTE"] = 0
    for _ in range(25):
        assert page.sign_in("msm_guess").status_code == 401


def test_the_api_rate_limit_does_not_count_page_requests(app: Flask, page: PageClient) -> None:
    app.config["MEDSAM_RATE_LIMIT_PER_MINUTE"] = 2
    for _ in range(5):
        assert page.page().status_code == 200


def test_the_cookie_drops_secure_only_in_debug_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    from medsam_match import create_app
    from tests.conftest import TEST_CONFIG

    config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    assert create_app(config).config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app(config).config["SESSION_COOKIE_SECURE"] is False
