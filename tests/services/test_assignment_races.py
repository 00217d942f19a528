"""Answers to one assignment sent at once: exactly one is applied, the
others are refused naming the state the assignment is in now; and however
many declines arrive at once, the centre gets one repair run.

Each race runs 30 rounds, on SQLite and on PostgreSQL (threads, one database
session each). Before the compare-and-set, a confirm and a decline both
answered in most rounds and left `confirmed` with a decline reason; parallel
declines queued two or three repair runs on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import select, update

from medsam_match.domain_errors import Conflict
from medsam_match.extensions import db
from medsam_match.models import Assignment, MatchRun
from medsam_match.services import assignments as service

from .conftest import ADMIN, Plant, race

ROUNDS = 30


def _queued_repairs(centre_id: int) -> list[MatchRun]:
    return list(db.session.scalars(select(MatchRun).where(
        MatchRun.centre_id == centre_id, MatchRun.status == "queued", MatchRun.mode == "repair")))


def _start_repairs(centre_id: int) -> None:
    """As a worker would: the waiting repair starts, so the next decline queues a new one."""
    db.session.execute(update(MatchRun).where(MatchRun.centre_id == centre_id,
                                              MatchRun.status == "queued")
                       .values(status="running"))
    db.session.commit()


def _answer(assignment_id: int, action: str, reason: str | None = None):  # type: ignore[no-untyped-def]
    return lambda: service.answer(ADMIN, assignment_id, action, reason).status


def test_a_confirm_and_a_decline_at_once_never_leave_a_contradiction(app, plant: Plant):
    """Either one wins and the other hears the state it lost to, or (when the
    confirm was through before the decline read the assignment) both apply in
    that order, as a volunteer confirming and later declining would. Never a
    confirmed assignment with a decline reason and a repair queued."""
    ids = plant.proposed(ROUNDS)
    seen = {"confirm": 0, "decline": 0, "confirm, then decline": 0}
    for assignment_id in ids:
        confirm, decline = race(app, [_answer(assignment_id, "confirm"),
                                      _answer(assignment_id, "decline", "sick")])
        with app.app_context():
            row = db.session.get(Assignment, assignment_id)
            repairs = _queued_repairs(plant.centre_id)
            if confirm.won and not decline.won:
                seen["confirm"] += 1
                assert confirm.value == "confirmed" and row.status == "confirmed"
                assert row.decline_reason is None and repairs == []
                assert isinstance(decline.error, Conflict)
                assert decline.error.current == "confirmed"
                assert "is confirmed now" in decline.error.detail
            elif decline.won and not confirm.won:
                seen["decline"] += 1
                assert decline.value == "declined" and row.status == "declined"
                assert row.decline_reason == "sick" and len(repairs) == 1
                assert isinstance(confirm.error, Conflict)
                assert confirm.error.current == "declined"
            else:
                assert confirm.won and decline.won
                seen["confirm, then decline"] += 1
                assert (confirm.value, decline.value) == ("confirmed", "declined")
                assert (row.status, row.decline_reason) == ("declined", "sick")
                assert len(repairs) == 1
            _start_repairs(plant.centre_id)
    assert sum(seen.values()) == ROUNDS, seen


def test_five_declines_of_one_assignment_at_once_one_is_applied(app, plant: Plant):
    for assignment_id in plant.proposed(ROUNDS):
        outcomes = race(app, [_answer(assignment_id, "decline", f"reason {i}") for i in range(5)])
        won = [o for o in outcomes if o.won]
        assert len(won) == 1
        assert all(o.error.current == "declined" for o in outcomes if not o.won)
        with app.app_context():
            assert len(_queued_repairs(plant.centre_id)) == 1
            _start_repairs(plant.centre_id)


def test_declines_of_different_assignments_at_once_queue_one_repair(app, plant: Plant):
    for _ in range(ROUNDS):
        ids = plant.proposed(4)
        outcomes = race(app, [_answer(i, "decline") for i in ids])
        assert all(o.won for o in outcomes)  # different assignments: no conflict
        with app.app_context():
            repairs = _queued_repairs(plant.centre_id)
            assert len(repairs) == 1, f"{len(repairs)} repair runs queued by one round"
            assert repairs[0].trigger == "decline"
            _start_repairs(plant.centre_id)


def test_lock_and_decline_at_once_never_leave_a_declined_lock(app, plant: Plant):
    for assignment_id in plant.proposed(ROUNDS):
        lock, decline = race(app, [
            lambda i=assignment_id: service.set_locked(ADMIN, i, True).locked,
            _answer(assignment_id, "decline"),
        ])
        assert lock.won or decline.won
        with app.app_context():
            row = db.session.get(Assignment, assignment_id)
            # Never a declined assignment that is locked.
            assert (row.status, row.locked) in (("proposed", True), ("declined", False))
            _start_repairs(plant.centre_id)


def test_answering_in_order_still_works(app, plant: Plant):
    first, second = plant.proposed(2)
    with app.app_context():
        assert service.answer(ADMIN, first, "confirm").status == "confirmed"
        # A volunteer who confirmed and can no longer come declines later.
        declined = service.answer(ADMIN, first, "decline", "  ill  ")
        assert (declined.status, declined.decline_reason) == ("declined", "ill")
        try:
            service.answer(ADMIN, first, "confirm")
        except Conflict as error:
            assert error.current == "declined"
            assert error.detail == ("the assignment is declined; only a proposed "
                                    "assignment can be confirmed")
        else:
            raise AssertionError("confirming a declined assignment must be refused")
        assert service.set_locked(ADMIN, second, True).locked is True
