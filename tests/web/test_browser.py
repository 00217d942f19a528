"""The page in a real browser at phone size: headless Chromium via selenium.

Needs the Debian packages chromium and chromium-driver (nothing is
downloaded: the driver is /usr/bin/chromedriver). Without them the tests
are skipped, except in CI (CI=true), where that is a failure.
Set MEDSAM_SCREENSHOT_DIR to keep the phone-size screenshots.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.web.conftest import WebWorld

CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE = (390, 844)


def _missing_browser() -> str | None:
    if shutil.which("chromium") is None or not Path(CHROMEDRIVER).exists():
        return "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    missing = _missing_browser()
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{missing}; CI=true requires the browser tests")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     f"--window-size={PHONE[0]},{PHONE[1]}",
                     f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(argument)
    # A Norwegian phone: the sign-in page follows the browser's language.
    options.add_argument("--lang=nb-NO")
    options.add_experimental_option("prefs", {"intl.accept_languages": "nb-NO,nb,no"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    # A phone's screen: its width in CSS pixels, twice as many device pixels.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 2, "mobile": True})
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app on 127.0.0.1 at a free port, in a thread, for this test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _screenshot(driver: Any, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("MEDSAM_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 1000
    return path


def _tap_and_load(driver: Any, element: Any) -> None:
    """Tap a button or link and wait until the next page has replaced this one.

    Chromium reports a node of a replaced document either as a stale element
    or as "Node with given id does not belong to the document"; both mean the
    old page is gone (selenium's `staleness_of` only knows the first)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element("tag name", "html")
    element.click()

    def replaced(current: Any) -> bool:
        try:
            page.is_enabled()
            return False
        except WebDriverException:
            pass
        try:
            return current.execute_script("return document.readyState") == "complete"
        except WebDriverException:
            return False

    WebDriverWait(driver, 30, poll_frequency=0.1).until(replaced)


def _fits_the_phone(driver: Any) -> None:
    width = driver.execute_script("return document.documentElement.scrollWidth")
    viewport = driver.execute_script("return window.innerWidth")
    assert width <= viewport, f"the page is {width}px wide on a {viewport}px screen"


@pytest.mark.timeout(180)
def test_sign_in_see_an_assignment_and_confirm_it_on_a_phone(
    browser: Any, served: str, web_world: WebWorld, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{served}/my/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb"
    assert browser.find_element(By.CSS_SELECTOR, 'meta[name="viewport"]')
    field = browser.find_element(By.ID, "token")
    label = browser.find_element(By.CSS_SELECTOR, 'label[for="token"]')
    assert label.text == "Personlig kode"
    _fits_the_phone(browser)
    _screenshot(browser, tmp_path, "signin-nb")

    field.send_keys(web_world.kari_token)
    _tap_and_load(browser, browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Hei, Kari!"
    cookie = browser.get_cookie("medsam_my")
    assert cookie and cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"

    card = browser.find_element(By.ID, f"a{web_world.proposed_id}")
    assert "Språkkafé" in card.text and "Arendal bibliotek" in card.text
    confirm = card.find_element(By.CSS_SELECTOR, "button.button-confirm")
    decline = card.find_element(By.CSS_SELECTOR, "button.button-decline")
    for button in (confirm, decline):
        assert button.size["height"] >= 44 and button.size["width"] >= 44  # touch targets
    _fits_the_phone(browser)
    _screenshot(browser, tmp_path, "assignments-nb")

    _tap_and_load(browser, confirm)
    notice = browser.find_element(By.CSS_SELECTOR, ".notice-success")
    assert "er bekreftet" in notice.text
    card = browser.find_element(By.ID, f"a{web_world.proposed_id}")
    assert card.find_element(By.CSS_SELECTOR, ".badge").text == "Bekreftet"
    assert card.find_elements(By.CSS_SELECTOR, "button.button-confirm") == []
    _screenshot(browser, tmp_path, "confirmed-nb")


@pytest.mark.timeout(180)
def test_decline_with_a_reason_and_switch_language_in_the_browser(
    browser: Any, served: str, web_world: WebWorld, tmp_path: Path, app: Flask
) -> None:
    from selenium.webdriver.common.by import By

    from medsam_match.extensions import db
    from medsam_match.models import Assignment

    browser.get(f"{served}/my/")
    _tap_and_load(browser, browser.find_element(By.LINK_TEXT, "English"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.ID, "token").send_keys(web_world.kari_token)
    _tap_and_load(browser, browser.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Hello, Kari!"

    card = browser.find_element(By.ID, f"a{web_world.proposed_id}")
    card.find_element(By.CSS_SELECTOR, "details.reason summary").click()
    card.find_element(By.ID, f"reason-{web_world.proposed_id}").send_keys("Away that week")
    _screenshot(browser, tmp_path, "decline-en")
    _tap_and_load(browser, card.find_element(By.CSS_SELECTOR, "button.button-decline"))
    # The card moved to the declined ones, opened so the outcome is in view.
    card = browser.find_element(By.ID, f"a{web_world.proposed_id}")
    assert card.is_displayed()
    assert "You declined Språkkafé" in card.find_element(By.CSS_SELECTOR, ".notice").text
    assert card.find_element(By.CSS_SELECTOR, ".badge").text == "Declined"
    _fits_the_phone(browser)
    _screenshot(browser, tmp_path, "declined-en")
    with app.app_context():
        row = db.session.get(Assignment, web_world.proposed_id)
        assert (row.status, row.decline_reason) == ("declined", "Away that week")
