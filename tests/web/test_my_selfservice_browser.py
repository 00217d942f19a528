"""The volunteer's own parts of /my/ in headless Chromium at phone size
(390×844), every page checked by axe-core (no serious or critical
violation) and for fitting the screen:

Kari (bokmål) changes a weekly time and adds a holiday, takes an open slot,
offers her confirmed homework help; Ola (English) takes it over; Kari's page
shows it handed over. The session then lies in the past, the coordinator
marks Ola attended on the session page, and the hours appear on Ola's page,
on the coordinator's page of Ola and in the API; hours Ola logs count once
the coordinator approves them. Every new page renders in nn and da too.

MEDSAM_DOCS_SCREENSHOTS=1 writes the screenshots of docs/volunteer-page.md
to docs/screenshots/.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from medsam_match.extensions import db
from tests.web.conftest import WebWorld, local_evening
from tests.web.staff import make_user
from tests.web.test_browser import _tap_and_load, served  # noqa: F401
from tests.web.test_my_selfservice import ALWAYS, _open_world, _set
from tests.web.test_workspace_browser import (  # noqa: F401
    DOCS_SHOTS,
    SIZES,
    _accessible,
    _fits,
    _sign_in,
    browser_for,
)

PHONE = SIZES["phone"]


def _shot(driver: Any, tmp_path: Path, name: str) -> None:
    """A screenshot; with MEDSAM_DOCS_SCREENSHOTS=1 the whole page into
    docs/screenshots, then the phone's screen again."""
    if os.environ.get("MEDSAM_DOCS_SCREENSHOTS") != "1":
        assert driver.save_screenshot(str(tmp_path / f"{name}.png"))
        return
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE[0], "height": min(height, 3000), "deviceScaleFactor": 1,
        "mobile": True})
    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(DOCS_SHOTS / f"{name}.png"))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 2, "mobile": True})


def _checked(driver: Any) -> None:
    _accessible(driver)
    _fits(driver)


def _sign_in_volunteer(driver: Any, base: str, token: str, language: str | None = None) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/my/" + (f"?lang={language}" if language else ""))
    driver.find_element(By.ID, "token").send_keys(token)
    _tap_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))


class _Enter:
    """A button pressed from the keyboard (Enter): far down a long page the
    emulated phone's tap coordinates miss in headless Chromium."""

    def __init__(self, element: Any) -> None:
        self.element = element

    def click(self) -> None:
        from selenium.webdriver.common.keys import Keys

        self.element.send_keys(Keys.ENTER)


def _tap(driver: Any, css: str) -> None:
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    _tap_and_load(driver, _Enter(element))


@pytest.mark.timeout(420)
def test_availability_holiday_open_slot_swap_and_hours_on_a_phone(
        browser_for: Any, served: str, web_world: WebWorld, app: Flask,  # noqa: F811
        tmp_path: Path, make_token: Any) -> None:
    from selenium.webdriver.common.by import By
    from sqlalchemy import select

    from medsam_match.models import Assignment, Session, Volunteer

    ids = _open_world(app, web_world)  # Hagelaget in 5 days; Kari and Ola free all week
    _set(app, web_world.kari_id, interests=["hage"], email="kari@example.no",
         certificates=[{"kind": "police", "valid_until": "2029-03-31"}], skills=["førstehjelp"],
         languages=["no"], weekly_availability=ALWAYS)
    make_user(app, "kari.koordinator@arendal.kommune.no", centre_id=web_world.world.no.centre_id)

    kari = browser_for(PHONE, "nb-NO")
    _sign_in_volunteer(kari, served, web_world.kari_token)
    assert kari.find_element(By.TAG_NAME, "h1").text == "Hei, Kari!"
    _checked(kari)
    _shot(kari, tmp_path, "my-home.nb")

    # 1. Availability: Saturday becomes 10-14, a holiday is added.
    _tap(kari, 'nav.sections a[href="/my/profile"]')
    assert kari.find_element(By.TAG_NAME, "h1").text == "Når jeg kan, og profil"
    assert "Politiattest" in kari.find_element(By.ID, "checked").text
    _checked(kari)
    saturday = kari.find_element(By.ID, "win-5-start")
    kari.execute_script("arguments[0].value = '10:00'", saturday)
    kari.execute_script("arguments[0].value = '14:00'",
                        kari.find_element(By.ID, "win-5-end"))
    holiday = local_evening(20).date()
    for field, day in (("away-0-first", holiday), ("away-0-last", holiday + timedelta(days=6))):
        kari.execute_script("arguments[0].value = arguments[1]",
                            kari.find_element(By.ID, field), day.isoformat())
    _shot(kari, tmp_path, "my-profile.nb")
    _tap(kari, "#profile-save")
    assert "Lagret" in kari.find_element(By.CSS_SELECTOR, ".notice-success").text
    _checked(kari)
    with app.app_context():
        row = db.session.get(Volunteer, web_world.kari_id)
        assert {"weekday": 5, "start": "10:00", "end": "14:00"} in row.weekly_availability
        assert len(row.unavailable) == 1

    # 2. A bad time is refused in words, next to the field, and nothing changes.
    kari.execute_script("arguments[0].value = '12:00'", kari.find_element(By.ID, "win-0-start"))
    kari.execute_script("arguments[0].value = '12:00'", kari.find_element(By.ID, "win-0-end"))
    _tap(kari, "#profile-save")
    assert "Sjekk tidene" in kari.find_element(By.ID, "win-0-error").text
    _checked(kari)

    # 3. An open slot, taken with one tap.
    kari.get(f"{served}/my/open-slots")
    card = kari.find_element(By.ID, f"s{ids['session']}-free")
    assert "Hagelaget" in card.text and "hage" in card.text
    _checked(kari)
    _shot(kari, tmp_path, "my-open-slots.nb")
    _tap(kari, f"#s{ids['session']}-free button")
    with app.app_context():
        taken = db.session.scalars(select(Assignment).where(
            Assignment.session_id == ids["session"])).one()
        assert (taken.volunteer_id, taken.status, taken.locked) == (
            web_world.kari_id, "confirmed", True)
    assert "Den er din" in kari.find_element(By.ID, f"a{taken.id}").text
    _checked(kari)

    # 4. Kari offers her confirmed homework help.
    confirmed = web_world.confirmed_id
    _tap(kari, f"#a{confirmed} form.swap button")
    card = kari.find_element(By.ID, f"a{confirmed}")
    assert "fortsatt din" in card.text
    _checked(kari)
    _shot(kari, tmp_path, "my-offered.nb")

    # 5. Ola, in English, sees the offered seat and takes it over.
    ola = browser_for(PHONE, "en-GB")
    _sign_in_volunteer(ola, served, web_world.ola_token, "en")
    ola.get(f"{served}/my/open-slots")
    offered = ola.find_element(By.ID, f"s{_session_of(app, confirmed)}-{confirmed}")
    assert "Offered by another volunteer" in offered.text
    _checked(ola)
    _shot(ola, tmp_path, "my-open-slots.en")
    _tap(ola, f"#s{_session_of(app, confirmed)}-{confirmed} button")
    with app.app_context():
        new = db.session.scalars(select(Assignment).where(
            Assignment.session_id == _session_of(app, confirmed),
            Assignment.volunteer_id == web_world.ola_id)).one()
        assert db.session.get(Assignment, confirmed).status == "cancelled"
    assert "It is yours" in ola.find_element(By.ID, f"a{new.id}").text
    _checked(ola)

    # Kari's page: the homework help is no longer hers.
    kari.get(f"{served}/my/")
    assert kari.find_elements(By.CSS_SELECTOR, f".assignment.status-confirmed#a{confirmed}") == []

    # 6. The session is over; the coordinator marks Ola attended on its page.
    with app.app_context():
        session = db.session.get(Session, _session_of(app, confirmed))
        start = local_evening(-1, 16)
        session.start = session.window_start = start
        session.end = session.window_end = start + timedelta(hours=1.5)
        db.session.commit()
    staff = browser_for(SIZES["desktop"], "nb")  # a profile of its own
    _sign_in(staff, served)
    staff.get(f"{served}/sessions/{_session_of(app, confirmed)}")
    staff.find_element(By.CSS_SELECTOR,
                       f'input[name="attendance-{new.id}"][value="attended"]').click()
    _tap(staff, "#attendance button[type=submit]")
    with app.app_context():
        assert db.session.get(Assignment, new.id).attendance == "attended"

    # 7. The hours on both sides: Ola's page and the coordinator's API.
    ola.get(f"{served}/my/hours")
    assert ola.find_element(By.ID, "hours-total").text == "1.5 hours"
    assert "Leksehjelp" in ola.find_element(By.ID, "hours-by-activity").text
    _checked(ola)
    _shot(ola, tmp_path, "my-hours.en")
    staff.get(f"{served}/volunteers/{web_world.ola_id}")
    assert "Timer gitt: 1,5" in staff.find_element(By.ID, "hours").text
    token = make_token("coordinator", centre_id=web_world.world.no.centre_id)
    summary = app.test_client().get(
        f"/api/v1/hours/summary?volunteer_id={web_world.ola_id}",
        headers={"Authorization": f"Bearer {token}"}).get_json()
    assert summary["total"] == 1.5 and summary["attended"] == 1.5

    # 8. Ola logs hours himself (pending); the coordinator approves them.
    ola.find_element(By.ID, "hours").send_keys("2")
    ola.find_element(By.ID, "note").send_keys("Sorted the library's books")
    _tap(ola, "#log-hours-save")
    assert "Waiting for approval" in ola.find_element(By.ID, "hours-entries").text
    assert ola.find_element(By.ID, "hours-total").text == "1.5 hours"  # not yet
    _checked(ola)
    staff.get(f"{served}/requests")
    entry = staff.find_element(By.CSS_SELECTOR, '#hours li[id^="hours-"]')
    assert "Ola Hansen" in entry.text and "Sorted the library's books" in entry.text
    _tap(staff, f"#{entry.get_attribute('id')} button.button-primary")
    staff.get(f"{served}/volunteers/{web_world.ola_id}")
    assert "Timer gitt: 3,5" in staff.find_element(By.ID, "hours").text
    ola.get(f"{served}/my/hours")
    assert ola.find_element(By.ID, "hours-total").text == "3.5 hours"
    assert "Approved" in ola.find_element(By.ID, "hours-entries").text
    ola.get(f"{served}/my/data")
    _checked(ola)
    _shot(ola, tmp_path, "my-data.en")

    # Every new page in nynorsk and Danish too.
    for code in ("nn", "da"):
        kari.get(f"{served}/my/?lang={code}")
        for path in ("profile", "open-slots", "hours", "data"):
            kari.get(f"{served}/my/{path}")
            assert kari.find_element(By.TAG_NAME, "html").get_attribute("lang") == code
            _checked(kari)


def _session_of(app: Flask, assignment_id: int) -> int:
    from medsam_match.models import Assignment

    with app.app_context():
        row = db.session.get(Assignment, assignment_id)
        return int(row.session_id)
