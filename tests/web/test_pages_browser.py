"""Planning, volunteers, activities and places pages in headless Chromium at
phone (390×844) and desktop (1280×800) size: make a plan and watch it finish
by itself, read the result with its chart, publish; make a sign-in link with
its QR code; the map without a tile server. Every page passes axe-core with
no serious or critical violation and fits the screen.
MEDSAM_DOCS_SCREENSHOTS=1 writes docs/screenshots/plan.nb.png and plan.en.png.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from medsam_match.extensions import db
from medsam_match.models import Assignment
from tests.planning.conftest import Centre, build_centre, run_queued
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

FIRST, LAST = "2027-01-11", "2027-01-31"


@pytest.fixture
def centre(app: Flask, client: FlaskClient, world: Any, make_token: Any) -> Centre:
    built = build_centre(client, world, make_token)
    make_user(app, "kari.koordinator@arendal.kommune.no", centre_id=built.centre_id)
    return built


def _pick_language(driver: Any, code: str) -> None:
    from selenium.webdriver.common.by import By

    select = driver.find_element(By.ID, "language-select")
    select.find_element(By.CSS_SELECTOR, f"option[value={code}]").click()
    _tap_and_load(driver, driver.find_element(By.CSS_SELECTOR, ".langswitch button"))


def _make_plan_and_watch(driver: Any, app: Flask, base: str) -> None:
    """Ask for a plan on the page; the worker solves it meanwhile; the page
    notices by itself (its polling script) and shows the result."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/plan")
    for name, value in (("first", FIRST), ("last", LAST)):
        driver.execute_script("arguments[0].value = arguments[1];",
                              driver.find_element(By.ID, name), value)
    _tap_and_load(driver, driver.find_element(By.ID, "make-plan-button"))
    assert driver.find_element(By.ID, "run-progress")  # progress while it waits and solves
    worker = threading.Thread(target=run_queued, args=(app,))
    worker.start()
    worker.join(120)
    WebDriverWait(driver, 60, poll_frequency=0.3).until(
        lambda d: d.find_elements(By.ID, "result"))
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return !!(window.Chart && Chart.getChart('hours-chart'))"))


@pytest.mark.timeout(600)
def test_plan_volunteers_activities_and_places_in_a_browser(
        app: Flask, browser_for: Any, served: str, centre: Centre,  # noqa: F811
        size: tuple[int, int], tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    driver = browser_for(size)
    _sign_in(driver, served)
    _pick_language(driver, "en")

    _make_plan_and_watch(driver, app, served)
    page = driver.find_element(By.TAG_NAME, "main").text
    assert "places filled" in page and "Changes against today's plan" in page
    _accessible(driver)
    _fits(driver)
    _tap_and_load(driver, driver.find_element(By.ID, "publish"))
    assert "The plan is published" in driver.find_element(By.TAG_NAME, "main").text
    with app.app_context():
        assert db.session.scalars(select(Assignment)).all()
    driver.get(f"{served}/plan")
    assert "published" in driver.find_element(By.ID, "run-history").text
    _accessible(driver)
    _fits(driver)

    driver.get(f"{served}/volunteers?language=no")
    assert "Kari Nordmann" not in driver.find_element(By.TAG_NAME, "main").text
    driver.get(f"{served}/volunteers")
    _accessible(driver)
    _fits(driver)
    _tap_and_load(driver, driver.find_element(By.LINK_TEXT, "Kari Nordmann"))
    _tap_and_load(driver, driver.find_element(By.ID, "make-invite"))
    assert driver.find_element(By.CSS_SELECTOR, "#invite-qr svg").is_displayed()
    assert "/my/invite/" in driver.find_element(By.ID, "invite-url").text
    _accessible(driver)
    _fits(driver)

    driver.get(f"{served}/activities")
    _accessible(driver)
    _tap_and_load(driver, driver.find_element(By.LINK_TEXT, "Språkkafé"))
    _accessible(driver)
    _fits(driver)

    driver.get(f"{served}/places")
    assert driver.find_elements(By.CSS_SELECTOR, "#place-map.leaflet-container")
    assert driver.find_elements(By.CSS_SELECTOR, "#place-map .leaflet-marker-icon")
    _accessible(driver)
    _fits(driver)


@pytest.mark.timeout(600)
def test_screenshots_of_a_plan_result_in_two_languages(
        app: Flask, client: FlaskClient, browser_for: Any, served: str,  # noqa: F811
        centre: Centre, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    # A session needing Arabic, which nobody speaks: one slot stays empty, and says why.
    activity = client.post("/api/v1/activities", headers=centre.headers, json={
        "centre_id": centre.centre_id, "title": "Arabisk språkkafé",
        "roles": [{"role": "interpreter", "min": 1, "max": 1, "languages": ["ar"]}]})
    assert client.post("/api/v1/sessions", headers=centre.headers, json={
        "activity_id": activity.get_json()["id"], "start": "2027-01-14T17:00:00+01:00",
        "end": "2027-01-14T19:00:00+01:00", "place_id": centre.world.no.place_ids[0],
    }).status_code == 201
    driver = browser_for(SIZES["desktop"], "nb-NO")
    _sign_in(driver, served)
    _make_plan_and_watch(driver, app, served)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb"
    assert "plasser fylt" in driver.find_element(By.TAG_NAME, "main").text
    assert "Ingen snakker arabisk." in driver.find_element(By.ID, "unfilled").text
    _accessible(driver)
    run_url = driver.current_url
    _shot(driver, tmp_path, "plan.nb")
    english = browser_for(SIZES["desktop"], "en-GB")
    _sign_in(english, served)
    _pick_language(english, "en")
    english.get(run_url)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(english, 20).until(
        lambda d: d.execute_script("return !!(window.Chart && Chart.getChart('hours-chart'))"))
    assert "places filled" in english.find_element(By.TAG_NAME, "main").text
    assert "Nobody speaks Arabic." in english.find_element(By.ID, "unfilled").text
    _accessible(english)
    _shot(english, tmp_path, "plan.en")
