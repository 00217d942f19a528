"""The secret key: a serving process refuses a missing, published or short
one with one line naming MEDSAM_SECRET_KEY and how to make one; commands
that serve nothing, development (`make run`) and tests keep working."""

from __future__ import annotations

import os
import re
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from medsam_match.config import (
    ConfigError,
    load_settings,
    project_dir,
    require_secret_key,
)

ROOT = project_dir()
GOOD_KEY = secrets.token_urlsafe(48)


def _one_line_naming_the_key(message: str, name: str = "MEDSAM_SECRET_KEY") -> None:
    assert "\n" not in message
    assert name in message
    assert "secrets.token_urlsafe(48)" in message  # how to make one


@pytest.mark.parametrize("key", [
    "dev-only-change-me",  # the old default
    "CHANGE-ME",  # config/production.example.toml
    "change-me",
    "x",
    "short-but-random-7f3a9c",
    "a" * 64,
    "  " + "secret" + "  ",
])
def test_a_published_or_short_key_is_refused_with_one_line(key: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({"MEDSAM_SECRET_KEY": key})
    _one_line_naming_the_key(str(refused.value))


def test_the_example_configuration_file_is_refused_until_its_key_is_changed() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({"MEDSAM_CONFIG": str(ROOT / "config" / "production.example.toml")})
    assert "secret_key" in str(refused.value) and "published example" in str(refused.value)


def test_every_secret_key_in_the_shipped_config_files_is_refused(tmp_path: Path) -> None:
    """Whatever value the repository's config files show is known to all."""
    import tomllib

    for path in sorted((ROOT / "config").glob("*.toml")):
        value = tomllib.loads(path.read_text()).get("secret_key", "")
        if value:
            with pytest.raises(ConfigError):
                load_settings({"MEDSAM_SECRET_KEY": value})


def test_a_long_random_key_is_taken() -> None:
    assert load_settings({"MEDSAM_SECRET_KEY": GOOD_KEY})["secret_key"] == GOOD_KEY


def test_the_defaults_hold_no_key_and_serving_without_one_is_refused() -> None:
    assert load_settings({})["secret_key"] == ""
    with pytest.raises(ConfigError) as refused:
        require_secret_key(load_settings({})["secret_key"])
    _one_line_naming_the_key(str(refused.value))
    assert "not set" in str(refused.value)


def test_commands_that_serve_nothing_work_without_a_key(tmp_path: Path) -> None:
    from medsam_match import create_app

    app = create_app({"MEDSAM_SCHEDULER": "off", "MEDSAM_DATA_DIR": str(tmp_path)},
                     check_schema=False)
    # A throwaway key, never a known one: nothing signed with it outlives the process.
    assert len(app.config["SECRET_KEY"]) >= 32
    assert app.config["MEDSAM_SECRET_KEY"] == ""


def test_the_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text(GOOD_KEY + "\n")
    assert load_settings({"MEDSAM_SECRET_KEY_FILE": str(key_file)})["secret_key"] == GOOD_KEY
    key_file.write_text("CHANGE-ME\n")
    with pytest.raises(ConfigError) as refused:
        load_settings({"MEDSAM_SECRET_KEY_FILE": str(key_file)})
    _one_line_naming_the_key(str(refused.value), "MEDSAM_SECRET_KEY_FILE")
    with pytest.raises(ConfigError, match="MEDSAM_SECRET_KEY_FILE .* cannot be read"):
        load_settings({"MEDSAM_SECRET_KEY_FILE": str(tmp_path / "missing")})
    key_file.write_text(GOOD_KEY)
    with pytest.raises(ConfigError, match="not both"):
        load_settings({"MEDSAM_SECRET_KEY_FILE": str(key_file), "MEDSAM_SECRET_KEY": GOOD_KEY})


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("MEDSAM_")}
    env.update({"MEDSAM_DATA_DIR": str(tmp_path / "data"), "MEDSAM_SCHEDULER": "off",
                "MEDSAM_CHECK_SCHEMA": "false", **extra})
    return env


@pytest.mark.parametrize("key", [None, "dev-only-change-me", "CHANGE-ME", "x"])
def test_the_container_start_refuses_without_a_usable_key(tmp_path: Path, key: str | None) -> None:
    """The image's command: gunicorn with config/gunicorn.conf.py; it stops
    before any worker starts, with one line."""
    env = _environment(tmp_path, MEDSAM_BIND="127.0.0.1:0")
    if key is not None:
        env["MEDSAM_SECRET_KEY"] = key
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "-c", str(ROOT / "config" / "gunicorn.conf.py"), "medsam_match.wsgi:app"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "MEDSAM_SECRET_KEY" in line]
    assert len(lines) == 1, result.stderr
    _one_line_naming_the_key(lines[0])
    assert "Booting worker" not in result.stderr


def test_the_served_app_refuses_without_a_key(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from medsam_match.served import served_app; served_app()"],
        env=_environment(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    _one_line_naming_the_key(result.stderr.strip())


def test_the_image_ships_no_key() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert not re.search(r"^\s*(ENV|ARG)\b.*SECRET_KEY", dockerfile, re.M | re.I)
    assert load_settings({})["secret_key"] == ""  # config/ as copied into the image


def test_make_run_keeps_one_private_development_key(tmp_path: Path) -> None:
    key_file = tmp_path / "instance" / "secret_key"

    def make() -> None:
        subprocess.run(["make", "-s", "secret-key", f"DEV_SECRET_KEY={key_file}",
                        f"PYTHON={sys.executable}"], cwd=ROOT, check=True, timeout=60,
                       capture_output=True)

    make()
    key = key_file.read_text().strip()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    make()  # kept, not replaced
    assert key_file.read_text().strip() == key
    assert load_settings({"MEDSAM_SECRET_KEY_FILE": str(key_file)})["secret_key"] == key


@pytest.mark.parametrize("command", [["scheduler"], ["send-messages"]])
def test_processes_that_sign_links_refuse_without_a_key(tmp_path: Path, command: list[str]) -> None:
    """They sign links in messages that must work in the web process too: a
    throwaway key would make every such link fail."""
    cli = Path(sys.executable).with_name("medsam-match")
    result = subprocess.run([str(cli), *command], env=_environment(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    _one_line_naming_the_key(result.stderr.strip())


def test_the_throwaway_key_of_a_command_is_not_accepted_for_signing(tmp_path: Path) -> None:
    from medsam_match import create_app
    from medsam_match.config import require_signing_key

    app = create_app({"MEDSAM_SCHEDULER": "off", "MEDSAM_DATA_DIR": str(tmp_path)},
                     check_schema=False)
    with pytest.raises(ConfigError):
        require_signing_key(app.config)
    require_signing_key({**app.config, "SECRET_KEY": GOOD_KEY})
