"""A full disk under the embedded SQLite database (a real one: a small tmpfs
filled up). Reads go on, /health says the database refuses writes, and a
change is refused plainly, never a 500. Needs mount rights (root, as in CI);
skipped without them."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from medsam_match import create_app
from medsam_match.extensions import db
from tests.conftest import TEST_CONFIG, auth, build_world


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(folder: Path) -> None:
    chunk = b"\0" * (64 << 10)
    with (folder / "filler").open("wb", buffering=0) as filler:
        try:
            while True:
                filler.write(chunk)
        except OSError:
            pass


def test_reads_go_on_and_health_tells_when_the_disk_is_full(disk: Path) -> None:
    app: Flask = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{disk / 'medsam.db'}"})
    with app.app_context():
        db.create_all()
    world = build_world(app)
    client = app.test_client()
    assert client.get("/api/v1/health").get_json()["database"] == "ok"
    _fill(disk)
    app.extensions.pop("medsam_health_probe", None)  # no cached probe from before
    for token in (world.admin_token, world.no.municipality_token):  # never used: a write is due
        assert client.get("/api/v1/centres", headers=auth(token)).status_code == 200
    health = client.get("/api/v1/health")
    assert (health.status_code, health.get_json()["database"]) == (503, "read-only")
    new_place = {"municipality_id": world.no.municipality_id, "name": "Bibliotek " + "x" * 150,
                 "address": "y" * 1000}
    answers = [client.post("/api/v1/places", json=new_place,
                           headers=auth(world.no.municipality_token)).status_code
               for _ in range(200)]
    assert 500 not in answers
    assert 503 in answers  # the disk is full: refused, not half-done
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
