"""The service tier: service functions called directly, no HTTP.

Fixtures: `plant` (a centre of the `world` with an activity, sessions, a
volunteer and proposed assignments, made as rows), and `race(app, calls)`,
which starts every call at the same instant, each in its own thread with its
own database session, and returns what each returned or raised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from medsam_match.auth import Principal
from medsam_match.domain_errors import DomainError
from medsam_match.extensions import db
from medsam_match.models import Activity, Assignment, Session, Volunteer
from tests.conftest import World

ADMIN = Principal(role="admin")
SOON = datetime(2030, 1, 7, 16, 0, tzinfo=UTC)


@dataclass
class Plant:
    """Rows to work on: `centre_id`, its `activity_id`, `session_ids` and
    `volunteer_ids`, and a way to make fresh proposed assignments."""

    app: Flask
    world: World
    centre_id: int
    activity_id: int
    session_ids: list[int]
    volunteer_ids: list[int]

    def proposed(self, count: int = 1) -> list[int]:
        """`count` new proposed assignments (different volunteers and sessions)."""
        with self.app.app_context():
            rows = [
                Assignment(volunteer_id=self.volunteer_ids[i % len(self.volunteer_ids)],
                           session_id=self.session_ids[i % len(self.session_ids)],
                           role="helper", status="proposed")
                for i in range(count)
            ]
            db.session.add_all(rows)
            db.session.commit()
            return [row.id for row in rows]


def make_plant(app: Flask, world: World, centre_id: int | None = None) -> Plant:
    centre_id = centre_id or world.no.centre_id
    with app.app_context():
        activity = Activity(centre_id=centre_id, title="Språkkafé",
                            roles=[{"role": "helper", "min": 1, "max": 3}])
        db.session.add(activity)
        db.session.flush()
        sessions = []
        for week in range(4):
            start = SOON + timedelta(days=7 * week)
            sessions.append(Session(activity_id=activity.id, start=start,
                                    end=start + timedelta(hours=2), status="planned",
                                    window_start=start, window_end=start + timedelta(hours=2)))
        volunteers = [Volunteer(centre_id=centre_id, name=f"Frivillig {i}") for i in range(4)]
        db.session.add_all([*sessions, *volunteers])
        db.session.commit()
        return Plant(app, world, centre_id, activity.id, [s.id for s in sessions],
                     [v.id for v in volunteers])


@pytest.fixture
def plant(app: Flask, world: World) -> Plant:
    return make_plant(app, world)


@dataclass(frozen=True)
class Outcome:
    value: Any = None
    error: DomainError | None = None

    @property
    def won(self) -> bool:
        return self.error is None


def race(app: Flask, calls: list[Callable[[], Any]], timeout: float = 60) -> list[Outcome]:
    """Run `calls` at once, one thread and one database session each."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Outcome | None] = [None] * len(calls)
    crashes: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout)
                value = call()
                outcomes[index] = Outcome(value=value)
            except DomainError as error:
                db.session.rollback()
                outcomes[index] = Outcome(error=error)
            except BaseException as error:  # noqa: BLE001 - reported below
                crashes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if crashes:
        raise crashes[0]
    assert all(outcome is not None for outcome in outcomes), "a racing call never finished"
    return outcomes  # type: ignore[return-value]
