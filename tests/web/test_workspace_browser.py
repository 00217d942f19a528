"""A coordinator's workspace in headless Chromium, at phone (390×844) and
desktop (1280×800) size: sign in, read the week board, open a session,
assign a candidate, see the board change. Every page passes axe-core with
no serious or critical violation.

axe-core comes from the npm registry (tests/web/axe/package.json, installed
by `make test`) and is injected into each page by the test. Without it, as
without Chromium, the tests skip, except in CI where that is a failure.
MEDSAM_DOCS_SCREENSHOTS=1 writes the screenshots of docs/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import World
from tests.web.board_world import MONDAY, BoardWorld, build_board_world
from tests.web.staff import PASSWORD, make_user
from tests.web.test_browser import CHROMEDRIVER, _tap_and_load, served  # noqa: F401

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"phone": (390, 844), "desktop": (1280, 800)}
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _missing() -> str | None:
    if shutil.which("chromium") is None or not Path(CHROMEDRIVER).exists():
        return "chromium and chromium-driver are not installed"
    if not AXE.exists():
        return "axe-core is not installed (make test runs npm ci in tests/web/axe)"
    return None


def _driver(tmp_path: Path, size: tuple[int, int], language: str) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     f"--window-size={size[0]},{size[1]}", f"--lang={language}",
                     f"--user-data-dir={tmp_path / ('profile-' + language)}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": size[0], "height": size[1], "deviceScaleFactor": 1 if size[0] > 600 else 2,
        "mobile": size[0] <= 600})
    return driver


@pytest.fixture(params=sorted(SIZES))
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return SIZES[request.param]


@pytest.fixture
def browser_for(tmp_path: Path) -> Iterator[Any]:
    missing = _missing()
    if missing:
        if _in_ci():
            pytest.fail(f"{missing}; CI=true requires the browser tests")
        pytest.skip(missing)
    drivers: list[Any] = []

    def make(size: tuple[int, int], language: str = "nb-NO") -> Any:
        drivers.append(_driver(tmp_path, size, language))
        return drivers[-1]

    yield make
    for driver in drivers:
        driver.quit()


@pytest.fixture
def bw(app: Flask, world: World) -> BoardWorld:
    built = build_board_world(app, world)
    make_user(app, "kari.koordinator@arendal.kommune.no", centre_id=world.no.centre_id)
    return built


def _axe(driver: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page shown."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(JSON.stringify(r.violations)))"
        ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', "
        "description: String(e), nodes: []}])));")
    violations = json.loads(result)
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


def _accessible(driver: Any) -> None:
    bad = _axe(driver)
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['description']} at "
        f"{[n.get('target') for n in v.get('nodes', [])][:3]}" for v in bad)


def _fits(driver: Any) -> None:
    width = driver.execute_script("return document.documentElement.scrollWidth")
    viewport = driver.execute_script("return window.innerWidth")
    assert width <= viewport, f"the page is {width}px wide on a {viewport}px screen"


def _shot(driver: Any, tmp_path: Path, name: str) -> None:
    folder = DOCS_SHOTS if os.environ.get("MEDSAM_DOCS_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    if folder == DOCS_SHOTS:
        # The whole page, not only the first screen.
        height = driver.execute_script("return document.documentElement.scrollHeight")
        width = driver.execute_script("return window.innerWidth")
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": min(height, 2400), "deviceScaleFactor": 1,
            "mobile": False})
    assert driver.save_screenshot(str(folder / f"{name}.png"))


def _sign_in(driver: Any, base: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/")
    assert driver.current_url.endswith("/signin")
    driver.find_element(By.ID, "email").send_keys("kari.koordinator@arendal.kommune.no")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    _tap_and_load(driver, driver.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))


@pytest.mark.timeout(300)
def test_a_coordinators_day_on_the_board_and_a_session_page(
        browser_for: Any, served: str, bw: BoardWorld, size: tuple[int, int],  # noqa: F811
        tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = browser_for(size)
    driver.get(f"{served}/signin")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb"
    _accessible(driver)
    _fits(driver)
    _sign_in(driver, served)
    cookie = driver.get_cookie("medsam_staff")
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    driver.get(f"{served}/board?week={MONDAY.isoformat()}")
    board = driver.find_element(By.CSS_SELECTOR, ".board")
    text = board.text
    assert "Grunnlovsdag" in text or "helligdag" in text.lower()  # 17 May is marked
    assert "Språkkafé" in text and "Ingrid Berg" in text
    assert "snakker" in text.lower()  # the unfilled host's reason, in words
    assert "Mangler" in text and "Bekreftet" in text  # states in words, not colour alone
    _accessible(driver)
    _fits(driver)
    if size == SIZES["phone"]:
        # One column on a phone: every day as wide as the screen.
        widths = {d.size["width"] for d in driver.find_elements(By.CSS_SELECTOR, ".day")}
        assert min(widths) > 300

    driver.find_element(By.LINK_TEXT, "Leksehjelp").click()
    assert f"/sessions/{bw.homework_session_id}" in driver.current_url
    candidates = driver.find_element(By.CSS_SELECTOR, "ul.candidates")
    first = candidates.find_elements(By.CSS_SELECTOR, "li")[0]
    assert bw.candidate_name in first.text  # shares the activity's interest: best fit
    _accessible(driver)
    _fits(driver)
    _tap_and_load(driver, first.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Satt opp" in driver.find_element(By.CSS_SELECTOR, ".notice-success").text
    driver.get(f"{served}/board?week={MONDAY.isoformat()}")
    assert bw.candidate_name in driver.find_element(By.CSS_SELECTOR, ".board").text


@pytest.mark.timeout(300)
def test_screenshots_of_the_board_and_a_session_in_two_languages(
        browser_for: Any, served: str, bw: BoardWorld, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By

    for language, code in (("nb-NO", "nb"), ("en-GB", "en")):
        driver = browser_for(SIZES["desktop"], language)
        _sign_in(driver, served)
        if code == "en":  # Arendal's locale is nb: pick English with the switch
            select = driver.find_element(By.ID, "language-select")
            select.find_element(By.CSS_SELECTOR, "option[value=en]").click()
            _tap_and_load(driver, driver.find_element(By.CSS_SELECTOR,
                                                      ".langswitch button"))
        driver.get(f"{served}/board?week={MONDAY.isoformat()}")
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == code
        _accessible(driver)
        _shot(driver, tmp_path, f"board.{code}")
        driver.get(f"{served}/sessions/{bw.cafe_session_id}")
        _accessible(driver)
        _shot(driver, tmp_path, f"session.{code}")
