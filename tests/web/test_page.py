"""The signed-in page: upcoming assignments, confirm, decline, languages."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from medsam_match.extensions import db
from medsam_match.models import Assignment, MatchRun
from tests.web.conftest import PageClient, WebWorld


def _status(app: Flask, assignment_id: int) -> str:
    with app.app_context():
        return db.session.get(Assignment, assignment_id).status


def _card(html: str, assignment_id: int) -> str:
    match = re.search(rf'<article[^>]*id="a{assignment_id}".*?</article>', html, re.S)
    assert match, f"no card for assignment {assignment_id}"
    return match.group(0)


def test_upcoming_assignments_soonest_first_with_time_place_and_role(
    kari_page: PageClient, web_world: WebWorld
) -> None:
    html = kari_page.page().get_data(as_text=True)
    upcoming = html.split('id="upcoming-heading"')[1].split("</section>")[0]
    cards = re.findall(r'<article[^>]*id="a(\d+)"', upcoming)
    assert cards == [str(web_world.proposed_id), str(web_world.confirmed_id)]
    proposed = _card(html, web_world.proposed_id)
    start = web_world.proposed_start
    assert f'datetime="{start.isoformat()}"' in proposed
    assert f"{start.day}. " in proposed and "kl. 17.00–19.00" in proposed
    assert "Arendal bibliotek" in proposed and "Torvet 6, 4836 Arendal" in proposed
    assert "<dd>vert</dd>" in proposed  # "host", in bokmål
    assert "Bekreft</button>" in proposed and "Si nei</button>" in proposed
    confirmed = _card(html, web_world.confirmed_id)
    assert "Leksehjelp; 5.–7. trinn" in confirmed
    assert "Bekreftet" in confirmed and "Bekreft</button>" not in confirmed
    assert "Jeg kan ikke komme</button>" in confirmed


def test_past_assignments_are_hidden_and_closed_ones_set_apart(
    kari_page: PageClient, web_world: WebWorld
) -> None:
    html = kari_page.page().get_data(as_text=True)
    assert f'id="a{web_world.past_id}"' not in html
    assert f'id="a{web_world.old_id}"' not in html
    closed = html.split('id="closed-heading"')[1].split("</section>")[0]
    assert f'id="a{web_world.declined_id}"' in closed
    assert f'id="a{web_world.cancelled_id}"' in closed
    assert "Avlyst" in _card(html, web_world.cancelled_id)
    assert "<button" not in closed.replace("</details>", "")  # nothing to answer there


def test_another_volunteers_assignments_are_not_shown(
    kari_page: PageClient, web_world: WebWorld
) -> None:
    assert f'id="a{web_world.ola_assignment_id}"' not in kari_page.page().get_data(as_text=True)


def test_confirm_shows_the_new_state(app: Flask, kari_page: PageClient,
                                     web_world: WebWorld) -> None:
    response = kari_page.post(f"/my/assignments/{web_world.proposed_id}/confirm")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/my/#a{web_world.proposed_id}")
    assert _status(app, web_world.proposed_id) == "confirmed"
    html = kari_page.page().get_data(as_text=True)
    assert "Takk! Språkkafé," in html and "er bekreftet." in html
    assert 'role="status"' in html
    card = _card(html, web_world.proposed_id)
    assert "badge-confirmed" in card and "Bekreft</button>" not in card


def test_decline_with_a_reason_queues_a_repair_like_the_api(
    app: Flask, kari_page: PageClient, web_world: WebWorld
) -> None:
    response = kari_page.post(f"/my/assignments/{web_world.proposed_id}/decline",
                              reason="  Sick child  ")
    assert response.status_code == 303
    with app.app_context():
        row = db.session.get(Assignment, web_world.proposed_id)
        assert (row.status, row.decline_reason) == ("declined", "Sick child")
        runs = db.session.scalars(select(MatchRun)).all()
        assert [(r.centre_id, r.mode, r.trigger, r.status) for r in runs] == [
            (web_world.world.no.centre_id, "repair", "decline", "queued")]
    html = kari_page.page().get_data(as_text=True)
    assert "Du har sagt nei til Språkkafé" in html
    closed = html.split('id="closed-heading"')[1]
    assert f'id="a{web_world.proposed_id}"' in closed


def test_decline_without_a_reason_and_a_confirmed_one_too(
    app: Flask, kari_page: PageClient, web_world: WebWorld
) -> None:
    assert kari_page.post(f"/my/assignments/{web_world.confirmed_id}/decline").status_code == 303
    with app.app_context():
        row = db.session.get(Assignment, web_world.confirmed_id)
        assert (row.status, row.decline_reason) == ("declined", None)


def test_a_too_long_reason_is_refused_and_nothing_changes(
    app: Flask, kari_page: PageClient, web_world: WebWorld
) -> None:
    response = kari_page.post(f"/my/assignments/{web_world.proposed_id}/decline",
                              reason="x" * 1001)
    assert response.status_code == 303
    assert _status(app, web_world.proposed_id) == "proposed"
    assert "Grunnen er for lang" in kari_page.page().get_data(as_text=True)


def test_an_illegal_transition_shows_the_message_not_an_error_page(
    app: Flask, kari_page: PageClient, web_world: WebWorld
) -> None:
    for action in ("confirm", "decline"):
        response = kari_page.post(f"/my/assignments/{web_world.declined_id}/{action}")
        assert response.status_code == 303
        html = kari_page.page().get_data(as_text=True)
        assert 'role="alert"' in html
        verb = "bekreftes" if action == "confirm" else "avslås"
        assert f"Dette oppdraget kan ikke {verb} lenger, fordi det er avslått." in html
    kari_page.post(f"/my/assignments/{web_world.cancelled_id}/confirm")
    assert "fordi det er avlyst" in kari_page.page().get_data(as_text=True)
    assert _status(app, web_world.declined_id) == "declined"
    with app.app_context():
        assert db.session.scalars(select(MatchRun)).all() == []


def test_another_volunteers_assignment_is_not_found(
    app: Flask, kari_page: PageClient, web_world: WebWorld
) -> None:
    for action in ("confirm", "decline"):
        response = kari_page.post(f"/my/assignments/{web_world.ola_assignment_id}/{action}")
        assert response.status_code == 404
        assert "Fant ikke dette oppdraget." in response.get_data(as_text=True)
        assert response.mimetype == "text/html"
    assert _status(app, web_world.ola_assignment_id) == "proposed"
    assert kari_page.post("/my/assignments/999999/confirm").status_code == 404


def test_a_post_without_the_csrf_token_is_refused(
    app: Flask, kari_page: PageClient, web_world: WebWorld
) -> None:
    path = f"/my/assignments/{web_world.proposed_id}/confirm"
    assert kari_page.client.post(path).status_code == 400
    response = kari_page.client.post(path, data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert "Skjemaet var utløpt" in response.get_data(as_text=True)
    assert _status(app, web_world.proposed_id) == "proposed"


def test_answering_without_signing_in_changes_nothing(
    app: Flask, page: PageClient, web_world: WebWorld
) -> None:
    response = page.post(f"/my/assignments/{web_world.proposed_id}/confirm")
    assert response.status_code == 303
    assert _status(app, web_world.proposed_id) == "proposed"


def test_the_empty_state_says_what_happens_next(page: PageClient, web_world: WebWorld) -> None:
    assert page.sign_in(web_world.mette_token).status_code == 303
    html = page.page().get_data(as_text=True)
    assert '<html lang="da">' in html  # Aarhus speaks Danish
    assert "Ingen opgaver endnu" in html
    assert "planlægger de næste 14 dage hver nat" in html
    assert "<article" not in html


def test_each_language_renders_its_own_texts(kari_page: PageClient) -> None:
    expected = {
        "nb": ("Kommende oppdrag", "Bekreft</button>", "Legg til i kalenderen din"),
        "nn": ("Komande oppdrag", "Stadfest</button>", "Legg til i kalenderen din"),
        "da": ("Kommende opgaver", "Bekræft</button>", "Føj til din kalender"),
        "en": ("Upcoming assignments", "Confirm</button>", "Add to your calendar"),
    }
    for language, texts in expected.items():
        html = kari_page.page(f"/my/?lang={language}").get_data(as_text=True)
        assert f'<html lang="{language}">' in html
        for text in texts:
            assert text in html, (language, text)
        assert 'aria-current="true">' + {"nb": "Bokmål", "nn": "Nynorsk", "da": "Dansk",
                                         "en": "English"}[language] in html
    # The pick is remembered without the parameter.
    assert "Upcoming assignments" in kari_page.page().get_data(as_text=True)


def test_the_sign_in_page_follows_the_browser_language(page: PageClient) -> None:
    html = page.page(headers={"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"}).get_data(
        as_text=True)
    assert '<html lang="da">' in html and "Log ind" in html
    html = page.page(headers={"Accept-Language": "sv-SE"}).get_data(as_text=True)
    assert '<html lang="nb">' in html


def test_the_language_picked_before_sign_in_is_kept(page: PageClient, web_world: WebWorld) -> None:
    page.page("/my/?lang=en")
    page.sign_in(web_world.kari_token)
    assert "Hello, Kari!" in page.page().get_data(as_text=True)


def test_pages_are_not_cached_nor_framed_and_load_no_scripts(kari_page: PageClient) -> None:
    response = kari_page.page()
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert "<script" not in html
    outside = re.findall(r'(?:href|src)="(https?://[^"]+)"', html)
    # The only outside addresses are map links the volunteer may follow.
    assert outside and all(url.startswith("https://www.openstreetmap.org/") for url in outside)
    css = kari_page.client.get("/my/static/my.css")
    assert css.status_code == 200 and css.mimetype == "text/css"


def test_a_missing_file_under_my_is_a_page_not_a_crash(page: PageClient) -> None:
    response = page.client.get("/my/static/nothing-here.css")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Fant ikke siden." in response.get_data(as_text=True)
