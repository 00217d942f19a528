"""The municipality's settings page in headless Chromium, at phone and
desktop size, by its staff (in bokmål): population and network opt-in
saved, a bad population refused next to the field; axe-core finds no
serious or critical violation; the page fits the screen.
MEDSAM_DOCS_SCREENSHOTS=1 writes docs/screenshots/municipality.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from medsam_match.extensions import db
from medsam_match.models import Municipality
from tests.web.staff import PASSWORD, make_user
from tests.web.test_browser import _tap_and_load, served  # noqa: F401
from tests.web.test_workspace_browser import (  # noqa: F401
    SIZES,
    _accessible,
    _fits,
    _shot,
    browser_for,
    size,
)

EMAIL = "radgiver@arendal.kommune.no"


@pytest.mark.timeout(300)
def test_municipality_staff_set_population_and_sharing_in_the_browser(
        app, world, browser_for: Any, served: str, size: tuple[int, int],  # noqa: F811
        tmp_path: Path) -> None:
    make_user(app, EMAIL, role="municipality", municipality_id=world.no.municipality_id)
    driver = browser_for(size)
    driver.get(f"{served}/signin")
    driver.find_element(By.ID, "email").send_keys(EMAIL)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    _tap_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))
    driver.get(f"{served}/municipality")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Kommune: Arendal"
    _accessible(driver)
    _fits(driver)
    if size == SIZES["desktop"]:
        _shot(driver, tmp_path, "municipality")

    field = driver.find_element(By.ID, "population")
    field.clear()
    field.send_keys("mange")
    _tap_and_load(driver, driver.find_element(By.ID, "save-municipality"))
    assert driver.find_element(By.ID, "population-error").text.startswith("Oppgi antall innbyggere")
    _accessible(driver)

    field = driver.find_element(By.ID, "population")
    field.clear()
    field.send_keys("45 000")
    driver.find_element(By.ID, "network_opt_in").click()
    _tap_and_load(driver, driver.find_element(By.ID, "save-municipality"))
    assert "Lagret" in driver.find_element(By.CSS_SELECTOR, ".notice-success").text
    _fits(driver)
    with app.app_context():
        municipality = db.session.get(Municipality, world.no.municipality_id)
        assert (municipality.population, municipality.network_opt_in) == (45000, True)
