"""compose.yaml: it parses, every service has its command and a health
check, what they depend on exists and is checked healthy, the service
addresses in the settings name services of the file, and every medsam-match
command it runs (including the health checks) is a real command with those
options. (No container engine runs here; docs/operations.md walks through
starting it.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MEDSAM = str(Path(sys.executable).parent / "medsam-match")


@pytest.fixture(scope="module")
def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_the_parts_an_operator_expects_are_there(compose) -> None:  # type: ignore[no-untyped-def]
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "scheduler", "mail"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert "8000:8000" in services["web"]["ports"]


def test_every_service_has_its_command_and_health_check(compose) -> None:  # type: ignore[no-untyped-def]
    for name, service in compose["services"].items():
        command = service.get("command")
        assert isinstance(command, list) and command and all(isinstance(p, str) for p in command), name
        check = service.get("healthcheck") or {}
        test = check.get("test")
        assert isinstance(test, list) and test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, name
        for key in ("interval", "timeout", "retries"):
            assert key in check, f"{name}: healthcheck without {key}"


def test_what_a_service_waits_for_exists_and_is_checked_healthy(compose) -> None:  # type: ignore[no-untyped-def]
    services = compose["services"]
    for name, service in services.items():
        for needed, how in (service.get("depends_on") or {}).items():
            assert needed in services, f"{name} depends on a service that is not there: {needed}"
            assert how == {"condition": "service_healthy"}, name
            assert "healthcheck" in services[needed]
    # The workers and the scheduler start once the web service migrated the schema.
    for name in ("worker", "scheduler"):
        assert "web" in services[name]["depends_on"]
        assert "medsam-match db upgrade" in " ".join(services["web"]["command"])


def test_the_settings_point_at_services_of_the_file(compose) -> None:  # type: ignore[no-untyped-def]
    services = compose["services"]
    ours = [name for name, service in services.items() if service.get("build")]
    assert {"web", "worker", "scheduler"} <= set(ours)
    for name in ours:
        env = services[name]["environment"]
        assert urlsplit(env["MEDSAM_DATABASE_URL"]).hostname == "db"
        assert urlsplit(env["MEDSAM_BROKER_URL"]).hostname == "redis"
        assert urlsplit(env["MEDSAM_RATELIMIT_STORAGE_URL"]).hostname == "redis"
        assert env["MEDSAM_SMTP_HOST"] == "mail"
        assert env["MEDSAM_SCHEDULER"] == "off"  # web processes only serve
        assert "MEDSAM_SECRET_KEY" in env


def _medsam_commands(compose) -> list[list[str]]:  # type: ignore[no-untyped-def]
    found = []
    for service in compose["services"].values():
        for command in (service["command"], service["healthcheck"]["test"][1:]):
            if command and command[0] == "medsam-match":
                found.append(command[1:])
    return found


def test_every_medsam_command_it_runs_exists_with_those_options(compose) -> None:  # type: ignore[no-untyped-def]
    commands = _medsam_commands(compose)
    assert ["worker", "--queues", "runs", "--concurrency", "1"] in commands
    assert ["health", "worker"] in commands and ["health", "scheduler"] in commands
    for args in commands:
        done = subprocess.run([MEDSAM, *args, "--help"], capture_output=True, text=True,
                              timeout=120, cwd=ROOT)
        assert done.returncode == 0, (args, done.stderr[-2000:])
    assert (ROOT / "config" / "gunicorn.conf.py").is_file()
    assert (ROOT / "Dockerfile").is_file()
