"""`medsam-match nightly`: today's nightly run for every active centre,
created once however often it is called (the database's key)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from medsam_match.extensions import db
from medsam_match.models import Centre, MatchRun

BIN = Path(sys.executable).parent


def test_a_night_by_hand_creates_each_centres_run_once(app, world, tmp_path):
    with app.app_context():
        active = sorted(db.session.scalars(select(Centre.id).where(Centre.active.is_(True))))
    env = {**os.environ, "MEDSAM_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "MEDSAM_CHECK_SCHEMA": "false", "MEDSAM_DATA_DIR": str(tmp_path),
           "MEDSAM_BROKER_URL": ""}
    outputs = [subprocess.run([str(BIN / "medsam-match"), "nightly"], env=env, text=True,
                              capture_output=True, timeout=120) for _ in range(2)]
    assert [o.returncode for o in outputs] == [0, 0], outputs[0].stderr
    assert outputs[0].stdout.startswith(f"{len(active)} nightly runs created")
    assert outputs[1].stdout.startswith("0 nightly runs created")
    with app.app_context():
        runs = db.session.execute(select(MatchRun.centre_id, MatchRun.status, MatchRun.night)
                                  .where(MatchRun.trigger == "nightly")).all()
    assert sorted(r.centre_id for r in runs) == active
    assert {r.status for r in runs} == {"queued"} and len({r.night for r in runs}) <= 2


def test_a_wrong_time_is_refused_and_creates_nothing(app, world, tmp_path):
    env = {**os.environ, "MEDSAM_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "MEDSAM_CHECK_SCHEMA": "false", "MEDSAM_DATA_DIR": str(tmp_path)}
    done = subprocess.run([str(BIN / "medsam-match"), "nightly", "--at", "2am"], env=env,
                          text=True, capture_output=True, timeout=120)
    assert done.returncode == 2 and "--at" in done.stderr
    with app.app_context():
        assert db.session.scalars(select(MatchRun)).first() is None
