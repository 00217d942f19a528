"""A session cancelled while a run publishes a plan for it stays cancelled,
with no open assignment at it (30 rounds, SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from medsam_match.extensions import db
from medsam_match.models import Assignment, MatchRun, Session
from medsam_match.models.types import utcnow
from medsam_match.services import runs, sessions

from .conftest import ADMIN, SOON, Plant, race

ROUNDS = 30


def _fresh_session(app, plant: Plant, week: int) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        start = SOON + timedelta(days=7 * week, hours=1)
        row = Session(activity_id=plant.activity_id, start=start, end=start + timedelta(hours=1),
                      status="planned", window_start=start, window_end=start + timedelta(hours=1))
        db.session.add(row)
        db.session.commit()
        return row.id


def _dry_run_for(app, plant: Plant, session_id: int) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        start = db.session.get(Session, session_id).start
        now = utcnow()
        run = MatchRun(centre_id=plant.centre_id, window_from=SOON - timedelta(days=1),
                       window_to=SOON + timedelta(days=60), dry_run=True, status="succeeded",
                       started_at=now, finished_at=now, time_limit_s=5,
                       result={"format": "medsam-result/1", "status": "feasible",
                               "schedule": [{"session": str(session_id), "start": start.isoformat(),
                                             "end": (start + timedelta(hours=1)).isoformat(),
                                             "place": None}],
                               "assignments": [{"volunteer": str(plant.volunteer_ids[0]),
                                                "session": str(session_id), "role": "helper"}]})
        db.session.add(run)
        db.session.commit()
        return run.id


def test_cancelling_a_session_while_a_plan_is_published_is_never_undone(app, plant: Plant):
    for round_ in range(ROUNDS):
        session_id = _fresh_session(app, plant, round_ % 7)
        run_id = _dry_run_for(app, plant, session_id)
        cancel, publish = race(app, [
            lambda s=session_id: sessions.update_session(ADMIN, s, {"status": "cancelled"}).status,
            lambda r=run_id: runs.publish_dry_run(ADMIN, r).id,
        ])
        assert cancel.won and cancel.value == "cancelled"
        with app.app_context():
            assert db.session.get(Session, session_id).status == "cancelled"
            still_open = db.session.scalars(select(Assignment.status).where(
                Assignment.session_id == session_id,
                Assignment.status.in_(("proposed", "confirmed")))).all()
            assert still_open == []
