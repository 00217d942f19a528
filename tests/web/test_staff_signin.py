"""Staff sign-in at /signin: passwords, sessions, CSRF, sign-out everywhere,
the limit on failed attempts, and the user commands."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from medsam_match.cli import main as cli
from medsam_match.extensions import db
from medsam_match.models import User
from tests.conftest import World
from tests.web.staff import PASSWORD, Workspace, csrf_of, make_user


def test_root_sends_strangers_to_the_sign_in_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/signin")
    page = client.get("/signin")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy


def test_a_coordinator_signs_in_and_lands_on_the_board(app: Flask, client: FlaskClient,
                                                       world: World) -> None:
    make_user(app, "Kari@Arendal.kommune.no", centre_id=world.no.centre_id)
    ws = Workspace(client)
    response = ws.sign_in("kari@arendal.KOMMUNE.no")  # any case
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/board")
    cookie = response.headers.get_all("Set-Cookie")
    staff_cookie = next(c for c in cookie if c.startswith("medsam_staff="))
    assert "HttpOnly" in staff_cookie and "SameSite=Lax" in staff_cookie
    assert "Path=/;" in staff_cookie or staff_cookie.endswith("Path=/")
    board = client.get("/board")
    assert board.status_code == 200
    assert "Arendal frivilligsentral" in board.get_data(as_text=True)
    assert client.get("/").headers["Location"].endswith("/board")


def test_wrong_password_and_unknown_email_get_the_same_answer(app: Flask, client: FlaskClient,
                                                             world: World) -> None:
    make_user(app, "kari@example.no", centre_id=world.no.centre_id)
    ws = Workspace(client)
    wrong = ws.sign_in("kari@example.no", "not the password")
    unknown = ws.sign_in("nobody@example.no", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    def message(r):  # type: ignore[no-untyped-def]
        html = r.get_data(as_text=True)
        return html[html.index('id="signin-error"'):].split("</p>")[0]
    assert message(wrong) == message(unknown)
    assert client.get("/board").status_code == 302  # still signed out


def test_a_disabled_user_cannot_sign_in_and_is_signed_out(app: Flask, client: FlaskClient,
                                                         world: World) -> None:
    user_id = make_user(app, "kari@example.no", centre_id=world.no.centre_id)
    ws = Workspace(client)
    assert ws.sign_in("kari@example.no").status_code == 303
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["user", "disable", "kari@example.no"])
    assert result.exit_code == 0, result.output
    assert client.get("/board").status_code == 302  # the cookie no longer counts
    assert ws.sign_in("kari@example.no").status_code == 401
    with app.app_context():
        row = db.session.get(User, user_id)
        assert row.active is False
        # Flask-Login's own check (login_user refuses an inactive user) agrees.
        from medsam_match.web.workspace.accounts import StaffUser
        assert StaffUser(row).is_active is False


def test_a_form_without_its_csrf_token_is_refused(app: Flask, client: FlaskClient,
                                                  world: World) -> None:
    make_user(app, "kari@example.no", centre_id=world.no.centre_id)
    client.get("/signin")
    response = client.post("/signin", data={"email": "kari@example.no", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/board").status_code == 302
    ws = Workspace(client)
    assert ws.sign_in("kari@example.no").status_code == 303
    # Signed in, a sign-out without the token does nothing.
    assert client.post("/signout").status_code == 400
    assert client.get("/board").status_code == 200


def test_sign_out_everywhere_ends_the_other_devices(app: Flask, world: World) -> None:
    make_user(app, "kari@example.no", centre_id=world.no.centre_id)
    phone, laptop = Workspace(app.test_client()), Workspace(app.test_client())
    assert phone.sign_in("kari@example.no").status_code == 303
    assert laptop.sign_in("kari@example.no").status_code == 303
    html = laptop.client.get("/board").get_data(as_text=True)
    response = laptop.client.post("/signout/everywhere", data={"csrf_token": csrf_of(html)})
    assert response.status_code == 303
    assert phone.client.get("/board").status_code == 302
    assert laptop.client.get("/board").status_code == 302
    # Signing in again works on both.
    assert phone.sign_in("kari@example.no").status_code == 303
    assert phone.client.get("/board").status_code == 200


def test_failed_sign_ins_are_limited(app: Flask, client: FlaskClient, world: World) -> None:
    app.config["MEDSAM_FAILED_LOGINS_PER_MINUTE"] = 3
    make_user(app, "kari@example.no", centre_id=world.no.centre_id)
    ws = Workspace(client)
    for _ in range(3):
        assert ws.sign_in("kari@example.no", "wrong password").status_code == 401
    blocked = ws.sign_in("kari@example.no")  # even the right password waits
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1


def test_the_volunteer_page_and_the_workspace_keep_separate_cookies(
        app: Flask, client: FlaskClient, world: World) -> None:
    make_user(app, "kari@example.no", centre_id=world.no.centre_id)
    Workspace(client).sign_in("kari@example.no")
    my_page = client.get("/my/")
    assert my_page.status_code == 200
    assert 'name="token"' in my_page.get_data(as_text=True)  # /my/ still asks for a code
    assert client.get("/board").status_code == 200


def test_the_language_is_the_users_choice_then_the_municipalitys(
        app: Flask, client: FlaskClient, world: World) -> None:
    make_user(app, "mette@aarhus.dk", centre_id=world.dk.centre_id)
    ws = Workspace(client)
    ws.sign_in("mette@aarhus.dk")
    html = client.get("/board", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="da">' in html and "Næste uge" in html
    response = client.post("/language", data={"language": "en", "back": "/board",
                                              "csrf_token": csrf_of(html)})
    assert response.status_code == 303
    html = client.get("/board").get_data(as_text=True)
    assert '<html lang="en">' in html and "Next week" in html


def test_the_sign_in_page_follows_the_browser(client: FlaskClient) -> None:
    html = client.get("/signin", headers={"Accept-Language": "nn-NO,nn;q=0.9"}).get_data(
        as_text=True)
    assert '<html lang="nn">' in html and "Passord" in html


def test_user_commands(app: Flask, world: World) -> None:
    runner = app.test_cli_runner()
    made = runner.invoke(cli, ["user", "create", "--email", "Anne@Arendal.no", "--name",
                               "Anne Berg", "--role", "coordinator", "--centre",
                               str(world.no.centre_id)])
    assert made.exit_code == 0, made.output
    assert "Password (shown only this once):" in made.output
    password = made.output.rsplit(": ", 1)[1].strip()
    twice = runner.invoke(cli, ["user", "create", "--email", "anne@arendal.no", "--name", "A",
                                "--role", "coordinator", "--centre", str(world.no.centre_id)])
    assert twice.exit_code != 0 and "--email: a user with this e-mail exists" in twice.output
    wrong_scope = runner.invoke(cli, ["user", "create", "--email", "b@x.no", "--name", "B",
                                      "--role", "coordinator"])
    assert wrong_scope.exit_code != 0 and "--centre" in wrong_scope.output
    listed = runner.invoke(cli, ["user", "list"])
    assert "anne@arendal.no" in listed.output and password not in listed.output
    client = app.test_client()
    assert Workspace(client).sign_in("anne@arendal.no", password).status_code == 303


def test_municipality_staff_land_on_the_overview_of_their_centres(
        app: Flask, client: FlaskClient, world: World) -> None:
    make_user(app, "leder@arendal.no", role="municipality",
              municipality_id=world.no.municipality_id)
    response = Workspace(client).sign_in("leder@arendal.no")
    assert response.headers["Location"].endswith("/overview")
    html = client.get("/overview").get_data(as_text=True)
    assert "Arendal frivilligsentral" in html and "Hisøy frivilligsentral" in html
    assert "Frivilligcenter Aarhus" not in html
    assert client.get(f"/centres/{world.no.centre_ids[1]}/board").status_code == 200
    assert client.get(f"/centres/{world.dk.centre_id}/board").status_code == 404
