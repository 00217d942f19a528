"""`medsam-match token create|list|revoke` against the test database."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from medsam_match.cli import main


@pytest.fixture
def run(app):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))

    return invoke


def test_a_created_token_is_printed_once_and_works(run, client, world):
    created = run("token", "create", "--role", "coordinator", "--centre", str(world.dk.centre_id),
                  "--label", "Mette, Aarhus")
    assert created.exit_code == 0, created.output
    token = created.output.strip()
    response = client.get("/api/v1/centres", headers={"Authorization": f"Bearer {token}"})
    assert [c["id"] for c in response.json] == [world.dk.centre_id]

    listed = run("token", "list")
    assert "Mette, Aarhus" in listed.output
    assert f"centre {world.dk.centre_id}" in listed.output
    assert token not in listed.output


def test_revoke_stops_the_token(run, client, world):
    token = run("token", "create", "--role", "admin", "--label", "temp").output.strip()
    token_id = next(line.split()[0] for line in run("token", "list").output.splitlines()
                    if line.endswith("temp"))
    revoked = run("token", "revoke", token_id)
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert client.get("/api/v1/centres", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "temp" not in run("token", "list").output
    assert "temp" in run("token", "list", "--all").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "coordinator", "--centre", "999999"], "--centre: no such centre"),
        (["--role", "coordinator"], "--centre: coordinator tokens need centre_id"),
        (["--role", "admin", "--municipality", "1"], "--municipality: admin tokens take no"),
        (["--role", "root"], "Invalid value for '--role'"),
    ],
)
def test_create_refuses_a_wrong_scope(run, world, args, message):
    result = run("token", "create", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_revoke_of_an_unknown_id(run):
    result = run("token", "revoke", "424242")
    assert result.exit_code == 2
    assert "no token with id 424242" in result.output
