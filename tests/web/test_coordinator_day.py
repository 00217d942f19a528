"""A coordinator's whole day in headless Chromium, at phone (390×844) and
desktop (1280×800) size, all of it on the pages:

sign in; add an activity needing Arabic; make its sessions on five Thursdays,
Ascension Day left out (four made, the holiday named); make a plan for those
weeks and watch it finish; publish it; the board fills, and the one host
nobody could be found for says why in words; open a session and assign a
candidate to its free seat; make a volunteer a sign-in link; the volunteer
opens it on their phone and declines on /my/; the board shows who said no.

Every page passes axe-core with no serious or critical violation and fits
the screen. The volunteers are there before the day starts (rows); the plan
is solved by the real worker code in a real child process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import holidays
import pytest
from flask import Flask
from sqlalchemy import select

from medsam_match.extensions import db
from medsam_match.models import Activity, Assignment, Session, Volunteer
from tests.conftest import World
from tests.planning.conftest import run_queued
from tests.web.staff import make_user
from tests.web.test_browser import _tap_and_load, served  # noqa: F401
from tests.web.test_workspace_browser import (  # noqa: F401
    _accessible,
    _fits,
    _sign_in,
    browser_for,
    size,
)

THURSDAY_EVENINGS = [{"weekday": 3, "start": "16:00", "end": "21:00"}]


def ascension_after(today: date) -> date:
    """The first Ascension Day (a Thursday) at least three weeks ahead."""
    for year in (today.year, today.year + 1, today.year + 2):
        for day, name in sorted(holidays.country_holidays("NO", years=year, language="en_US")
                                .items()):
            if "Ascension" in name and day >= today + timedelta(days=21):
                return day
    raise AssertionError("no Ascension Day found")


@dataclass
class Day:
    first: date  # the first of five Thursdays
    holiday: date  # the second: Ascension Day
    away: date  # the fourth: Amira (the only Arabic speaker) is away


@pytest.fixture
def day(app: Flask, world: World) -> Day:
    holiday = ascension_after(date.today())
    first = holiday - timedelta(days=7)
    away = holiday + timedelta(days=14)
    make_user(app, "kari.koordinator@arendal.kommune.no", centre_id=world.no.centre_id)
    near, far = (58.46, 8.77), (58.72, 8.77)  # the library; ~29 km north
    with app.app_context():
        def volunteer(name: str, where: tuple[float, float], **fields: Any) -> None:
            db.session.add(Volunteer(
                centre_id=world.no.centre_id, name=name, lat=where[0], lon=where[1],
                weekly_availability=THURSDAY_EVENINGS, max_sessions_per_week=1, **fields))

        volunteer("Amira Haddad", near, languages=["ar", "nb"], interests=["language"],
                  unavailable=[{"start": f"{away.isoformat()}T00:00:00+02:00",
                                "end": f"{(away + timedelta(days=1)).isoformat()}T00:00:00+02:00"}])
        volunteer("Bjørn Dahl", near, languages=["nb"])
        volunteer("Camilla Lie", near, languages=["nb"])
        # Far away (no travel limit): fits, but costs the plan more than an
        # extra hand gains, so the plan leaves her out and the page offers her.
        volunteer("Dina Berg", far, languages=["nb"])
        db.session.commit()
    return Day(first, holiday, away)


def _set(driver: Any, element_id: str, value: str) -> None:
    from selenium.webdriver.common.by import By

    field = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].value = arguments[1];", field, value)


def _checked(page: Any) -> None:
    _accessible(page)
    _fits(page)


@pytest.mark.timeout(600)
def test_a_coordinators_whole_day_on_the_pages(
        app: Flask, browser_for: Any, served: str, world: World, day: Day,  # noqa: F811
        size: tuple[int, int]) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver = browser_for(size)
    _sign_in(driver, served)
    assert "/board" in driver.current_url
    _checked(driver)

    # An activity needing Arabic, from the form.
    driver.get(f"{served}/activities/new")
    _checked(driver)
    driver.find_element(By.ID, "title").send_keys("Arabisk språkkafé")
    driver.find_element(By.ID, "interests").send_keys("language")
    driver.find_element(By.ID, "role-0-name").send_keys("host")  # 1 to 1 as the form says
    Select(driver.find_element(By.ID, "role-0-languages")).select_by_value("ar")
    driver.find_element(By.ID, "role-1-name").send_keys("helper")
    driver.find_element(By.ID, "role-1-min").send_keys("1")
    driver.find_element(By.ID, "role-1-max").send_keys("3")
    _tap_and_load(driver, driver.find_element(By.ID, "save-activity"))
    assert "Arabisk språkkafé" in driver.find_element(By.TAG_NAME, "h1").text
    _checked(driver)

    # Five Thursdays; Ascension Day is left out and named.
    _set(driver, "first", day.first.isoformat())
    _set(driver, "last", (day.first + timedelta(days=28)).isoformat())
    driver.find_element(By.CSS_SELECTOR, "input[name=weekday][value='3']").click()
    Select(driver.find_element(By.ID, "place_id")).select_by_visible_text("Arendal bibliotek")
    _tap_and_load(driver, driver.find_element(By.ID, "make-sessions-button"))
    made = driver.find_element(By.ID, "generated").text
    assert "4 økter laget" in made or "4 sessions made" in made, made
    assert "Kristi himmelfartsdag" in driver.find_element(By.ID, "skipped-holidays").text
    _checked(driver)
    with app.app_context():
        activity = db.session.scalars(select(Activity)).one()
        assert activity.roles[0]["languages"] == ["ar"]
        sessions = db.session.scalars(select(Session).order_by(Session.start)).all()
        starts = [s.start.date() for s in sessions]
        by_day = {s.start.date(): s.id for s in sessions}
    assert day.holiday not in starts and len(starts) == 4

    # A plan for those weeks, solved while the page waits for it.
    driver.get(f"{served}/plan")
    _checked(driver)
    _set(driver, "first", day.first.isoformat())
    _set(driver, "last", (day.first + timedelta(days=30)).isoformat())
    _tap_and_load(driver, driver.find_element(By.ID, "make-plan-button"))
    assert driver.find_element(By.ID, "run-progress")
    worker = threading.Thread(target=run_queued, args=(app,))
    worker.start()
    worker.join(180)
    WebDriverWait(driver, 60, poll_frequency=0.3).until(lambda d: d.find_elements(By.ID, "result"))
    assert "arabisk" in driver.find_element(By.ID, "unfilled").text.lower()
    _checked(driver)
    _tap_and_load(driver, driver.find_element(By.ID, "publish"))
    _checked(driver)

    # The board of the week Amira is away: the host is missing, and why in words.
    driver.get(f"{served}/board?week={day.away.isoformat()}")
    board = driver.find_element(By.CSS_SELECTOR, ".board")
    assert "Bjørn Dahl" in board.text and "Camilla Lie" in board.text
    assert "Amira Haddad" not in board.text
    reason = board.find_element(By.CSS_SELECTOR, ".slot-missing .reason").text
    assert "arabisk" in reason.lower(), reason
    _checked(driver)
    driver.get(f"{served}/board?week={day.first.isoformat()}")
    assert "Amira Haddad" in driver.find_element(By.CSS_SELECTOR, ".board").text
    holiday_week = f"{served}/board?week={day.holiday.isoformat()}"
    driver.get(holiday_week)
    assert "Kristi himmelfartsdag" in driver.find_element(By.CSS_SELECTOR, ".holiday").text

    # Dina, left out by the plan, is offered for the free helper seat.
    driver.get(f"{served}/board?week={day.first.isoformat()}")
    _tap_and_load(driver, driver.find_element(By.LINK_TEXT, "Arabisk språkkafé"))
    assert f"/sessions/{by_day[day.first]}" in driver.current_url
    candidates = driver.find_element(By.CSS_SELECTOR, "ul.candidates")
    dina = [li for li in candidates.find_elements(By.CSS_SELECTOR, "li") if "Dina Berg" in li.text]
    assert dina, candidates.text
    _checked(driver)
    _tap_and_load(driver, dina[0].find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert driver.find_element(By.CSS_SELECTOR, ".notice-success")
    people = driver.find_elements(By.CSS_SELECTOR, "ul.people:not(.candidates)")
    assert any("Dina Berg" in p.text for p in people)
    _checked(driver)
    with app.app_context():
        dinas = db.session.scalars(select(Assignment).join(Volunteer).where(
            Volunteer.name == "Dina Berg")).all()
        assert [(a.session_id, a.status, a.locked) for a in dinas] == [
            (by_day[day.first], "proposed", True)]
        bjorn_id = db.session.scalars(select(Volunteer.id).where(
            Volunteer.name == "Bjørn Dahl")).one()
        bjorns = db.session.scalars(select(Assignment).where(
            Assignment.volunteer_id == bjorn_id, Assignment.session_id == by_day[day.first]))
        bjorn_assignment = bjorns.one().id

    # Bjørn gets a sign-in link from his page ...
    driver.get(f"{served}/volunteers/{bjorn_id}")
    _tap_and_load(driver, driver.find_element(By.ID, "make-invite"))
    link = driver.find_element(By.ID, "invite-url").text.strip()
    assert "/my/invite/" in link
    _checked(driver)

    # ... and declines on his phone.
    phone = browser_for((390, 844), "nb")  # his own browser (its own profile)
    phone.get(link.replace(link.split("/my/")[0], served))
    _checked(phone)
    _tap_and_load(phone, phone.find_element(By.ID, "use-invite"))
    _checked(phone)
    card = phone.find_element(By.ID, f"a{bjorn_assignment}")
    assert "Arabisk språkkafé" in card.text
    _tap_and_load(phone, card.find_element(By.CSS_SELECTOR, "button.button-decline"))
    _checked(phone)
    with app.app_context():
        assert db.session.get(Assignment, bjorn_assignment).status == "declined"

    # The coordinator's board shows who said no.
    driver.get(f"{served}/board?week={day.first.isoformat()}")
    declined = [s.text for s in driver.find_elements(By.CSS_SELECTOR, ".board .slot")
                if "Bjørn Dahl" in s.text]
    assert declined and "Sa nei" in declined[0], declined
    _checked(driver)
