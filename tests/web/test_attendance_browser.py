"""The coordinator's attendance form, the requests page and the board's
pending swaps in headless Chromium at phone and desktop size, each page
checked by axe-core (no serious or critical violation) and for fitting the
screen. MEDSAM_DOCS_SCREENSHOTS=1 writes docs/screenshots/attendance.*.png
and requests.*.png in nb, nn, da and en."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from medsam_match.extensions import db
from medsam_match.models import Assignment, HoursEntry, Volunteer
from medsam_match.models.types import utcnow
from tests.api.manual_world import ManualWorld, build_manual_world, session_day
from tests.conftest import World
from tests.selfservice.past_world import PastSession, add_past_session
from tests.web.staff import make_user
from tests.web.test_browser import _tap_and_load, served  # noqa: F401
from tests.web.test_workspace_browser import (  # noqa: F401
    SIZES,
    _accessible,
    _fits,
    _shot,
    _sign_in,
    browser_for,
    size,
)


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    built = build_manual_world(app, world)
    make_user(app, "kari.koordinator@arendal.kommune.no", centre_id=world.no.centre_id)
    return built


@pytest.fixture
def past(app: Flask, mw: ManualWorld) -> PastSession:
    past = add_past_session(app, mw)
    with app.app_context():
        db.session.add(HoursEntry(volunteer_id=mw.amira, day=date.today() - timedelta(days=1),
                                  hours=2.5, note="Ryddet lageret etter kafeen",
                                  activity_id=mw.activity_id))
        db.session.add(Assignment(volunteer_id=mw.yusuf, session_id=mw.session_id,
                                  role="host", status="confirmed", locked=True,
                                  swap_offered_at=utcnow()))
        db.session.get(Volunteer, mw.sara).erasure_requested_at = utcnow()
        db.session.commit()
    return past


def _switch_language(driver: Any, code: str) -> None:
    from selenium.webdriver.common.by import By

    select = driver.find_element(By.ID, "language-select")
    select.find_element(By.CSS_SELECTOR, f"option[value={code}]").click()
    _tap_and_load(driver, driver.find_element(By.CSS_SELECTOR, ".langswitch button"))


@pytest.mark.timeout(300)
def test_marking_attendance_and_answering_requests(
        app: Flask, browser_for: Any, served: str, past: PastSession, mw: ManualWorld,  # noqa: F811
        size: tuple[int, int], tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    driver = browser_for(size)
    _sign_in(driver, served)
    week = session_day() - timedelta(days=session_day().weekday())
    driver.get(f"{served}/centres/{mw.world.no.centre_id}/board?week={week.isoformat()}")
    notice = driver.find_element(By.ID, "pending-swaps").text
    assert "tilbys til bytte" in notice and "Yusuf Karim" in notice
    _accessible(driver)
    _fits(driver)

    driver.get(f"{served}/sessions/{past.session_id}")
    form = driver.find_element(By.ID, "attendance")
    assert "Hvem kom" in form.text
    form.find_element(By.CSS_SELECTOR,
                      f"input[name='attendance-{past.amira_seat}'][value=attended]").click()
    form.find_element(By.CSS_SELECTOR,
                      f"input[name='attendance-{past.yusuf_seat}'][value=no_show]").click()
    _accessible(driver)
    _fits(driver)
    _tap_and_load(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Oppmøtet er lagret" in driver.find_element(By.CSS_SELECTOR, ".notice-success").text
    checked = driver.find_element(
        By.CSS_SELECTOR, f"input[name='attendance-{past.amira_seat}'][value=attended]")
    assert checked.is_selected()
    with app.app_context():
        assert db.session.get(Assignment, past.amira_seat).attendance == "attended"
        assert db.session.get(Assignment, past.yusuf_seat).attendance == "no_show"

    driver.get(f"{served}/requests")
    hours = driver.find_element(By.ID, "hours")
    assert "Amira Haddad" in hours.text and "Ryddet lageret" in hours.text
    assert "Sara Ali" in driver.find_element(By.ID, "erasures").text
    _accessible(driver)
    _fits(driver)
    _tap_and_load(driver, hours.find_element(By.CSS_SELECTOR, "button.button-primary"))
    assert "Godkjent" in driver.find_element(By.CSS_SELECTOR, ".notice-success").text
    assert "Ingen timer venter" in driver.find_element(By.ID, "hours").text
    with app.app_context():
        assert db.session.query(HoursEntry).one().status == "approved"


@pytest.mark.timeout(300)
def test_attendance_and_requests_in_all_four_languages_with_screenshots(
        browser_for: Any, served: str, past: PastSession, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    for language, code in (("nb-NO", "nb"), ("nn-NO", "nn"), ("da-DK", "da"), ("en-GB", "en")):
        driver = browser_for(SIZES["desktop"], language)
        _sign_in(driver, served)
        if code != "nb":  # Arendal's locale is nb: pick the language with the switch
            _switch_language(driver, code)
        driver.get(f"{served}/sessions/{past.session_id}")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == code
        driver.execute_script("document.getElementById('attendance').scrollIntoView()")
        _accessible(driver)
        _shot(driver, tmp_path, f"attendance.{code}")
        assert {"nb": "Hvem kom", "nn": "Kven kom", "da": "Hvem kom", "en": "Who came"}[
            code] in driver.find_element(By.ID, "attendance").text
        driver.get(f"{served}/requests")
        _accessible(driver)
        assert {"nb": "Timer til godkjenning", "nn": "Timar til godkjenning",
                "da": "Timer til godkendelse", "en": "Hours to approve"}[
            code] in driver.find_element(By.ID, "hours").text
        _shot(driver, tmp_path, f"requests.{code}")
    phone = browser_for(SIZES["phone"], "nb")
    _sign_in(phone, served)
    phone.get(f"{served}/sessions/{past.session_id}#attendance")
    _fits(phone)
    # The account keeps the language last chosen (English, above).
    _shot(phone, tmp_path, "attendance.phone.en")
