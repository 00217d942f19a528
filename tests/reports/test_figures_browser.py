"""The dashboard and the network page in headless Chromium, at phone and
desktop size: charts drawn by the vendored Chart.js, "< 5" shown, axe-core
finds no serious or critical violation, the page fits the screen.
MEDSAM_DOCS_SCREENSHOTS=1 writes docs/screenshots/figures.png and network.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from medsam_match.extensions import db
from medsam_match.models import Activity, Municipality
from tests.web.staff import make_user
from tests.web.test_browser import served  # noqa: F401
from tests.web.test_workspace_browser import (  # noqa: F401
    SIZES,
    _accessible,
    _fits,
    _shot,
    _sign_in,
    browser_for,
    size,
)

from .fixture import build_history


@pytest.fixture
def prepared(app, world):
    ids = build_history(app, world)
    with app.app_context():
        db.session.get(Municipality, world.no.municipality_id).network_opt_in = True
        db.session.get(Activity, ids["lc"]).interests = ["language"]
        db.session.get(Activity, ids["tg"]).interests = ["outdoors", "language"]
        db.session.commit()
    make_user(app, "kari.koordinator@arendal.kommune.no", centre_id=world.no.centre_id)


@pytest.mark.timeout(300)
def test_dashboard_and_network_in_the_browser(browser_for: Any, served: str,  # noqa: F811
                                              prepared: None, size: tuple[int, int],  # noqa: F811
                                              tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = browser_for(size)
    _sign_in(driver, served)
    driver.get(f"{served}/figures?year=2025")
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Statistikk")
    totals = driver.find_element(By.ID, "figures-totals").text
    assert "Økter holdt 5" in totals and "< 5" in totals
    interests = driver.find_element(By.ID, "figures-interests").text
    assert "language" in interests and "outdoors" in interests
    drawn = driver.execute_script(
        "return !!(window.Chart && Chart.getChart(document.getElementById('trend-chart')))")
    assert drawn, "the trend chart was not drawn"
    _accessible(driver)
    _fits(driver)
    if size == SIZES["desktop"]:
        _shot(driver, tmp_path, "figures")
    driver.get(f"{served}/network?year=2025")
    assert "Arendal" in driver.find_element(By.ID, "network-table").text
    _accessible(driver)
    _fits(driver)
    if size == SIZES["desktop"]:
        _shot(driver, tmp_path, "network")
    driver.get(f"{served}/figures/annual?year=2025")
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Årsrapport 2025")
    _accessible(driver)
