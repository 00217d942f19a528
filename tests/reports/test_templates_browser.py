"""A template import in headless Chromium, at phone and desktop size, by
Aarhus's coordinator (the pages in Danish, the municipality's language):
browse the library, open Arendal's language café, see that its hosts need
a skill none of the centre's volunteers has, be refused with a clear
message, tick "adapt", pick a place, import, land on the new activity with
its sessions form filled in. axe-core finds no serious or critical
violation on any of these pages, and each fits the screen.
MEDSAM_DOCS_SCREENSHOTS=1 writes docs/screenshots/templates.png and
template-import.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from medsam_match.extensions import db
from medsam_match.models import Activity
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

from .test_templates_pages import published_template

EMAIL = "mette.koordinator@aarhus.dk"


@pytest.fixture
def template_id(app, world) -> int:  # type: ignore[no-untyped-def]
    make_user(app, EMAIL, centre_id=world.dk.centre_id)
    return published_template(app, world)


def _checked(driver: Any) -> None:
    _accessible(driver)
    _fits(driver)


@pytest.mark.timeout(300)
def test_a_coordinator_imports_a_template_in_the_browser(
        app, world, browser_for: Any, served: str, template_id: int,  # noqa: F811
        size: tuple[int, int], tmp_path: Path) -> None:  # noqa: F811
    driver = browser_for(size, "da-DK")
    driver.get(f"{served}/signin")
    driver.find_element(By.ID, "email").send_keys(EMAIL)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    _tap_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))

    driver.get(f"{served}/templates")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Aktivitetsskabeloner"
    card = driver.find_element(By.CSS_SELECTOR, f'[data-template="{template_id}"]')
    assert "Språkkafé" in card.text and "< 5" in card.text
    _checked(driver)
    if size == SIZES["desktop"]:
        _shot(driver, tmp_path, "templates")

    _tap_and_load(driver, card.find_element(By.TAG_NAME, "a"))
    assert "host kræver norsk" in driver.find_element(By.ID, "unfillable").text
    _checked(driver)

    # Without "adapt": refused, in words, and nothing made.
    _tap_and_load(driver, driver.find_element(By.ID, "import-button"))
    error = driver.find_element(By.ID, "adapt-error").text
    assert error.startswith("Intet blev importeret")
    assert driver.find_element(By.ID, "adapt").get_attribute("aria-invalid") == "true"
    _checked(driver)
    with app.app_context():
        assert db.session.query(Activity).filter_by(centre_id=world.dk.centre_id).count() == 0

    driver.find_element(By.ID, "adapt").click()
    Select(driver.find_element(By.ID, "place_id")).select_by_value(str(world.dk.place_ids[0]))
    if size == SIZES["desktop"]:
        _shot(driver, tmp_path, "template-import")
    _tap_and_load(driver, driver.find_element(By.ID, "import-button"))
    assert "/activities/" in driver.current_url
    notices = " ".join(n.text for n in driver.find_elements(By.CSS_SELECTOR, ".notice"))
    assert "Språkkafé er importeret som en ny aktivitet" in notices
    assert driver.find_element(By.CSS_SELECTOR, 'input[name="weekday"][value="1"]').is_selected()
    _checked(driver)
    with app.app_context():
        (activity,) = db.session.query(Activity).filter_by(centre_id=world.dk.centre_id).all()
        assert activity.title == "Språkkafé"
