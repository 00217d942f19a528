"""Settings: defaults, a config file, environment overrides; a wrong one stops
start-up with one line naming it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from medsam_match import create_app
from medsam_match.config import ConfigError, database_url, load_settings


def test_defaults():
    settings = load_settings({})
    assert settings["nightly_time"] == "02:00"
    assert settings["planning_horizon_days"] == 14
    assert settings["scheduler"] == "embedded"
    assert settings["database_url"] == ""


def test_environment_overrides_the_file_which_overrides_the_defaults(tmp_path: Path):
    config_file = tmp_path / "medsam.toml"
    config_file.write_text('nightly_time = "03:30"\nplanning_horizon_days = 21\nlog_level = "debug"\n')
    settings = load_settings({
        "MEDSAM_CONFIG": str(config_file),
        "MEDSAM_PLANNING_HORIZON_DAYS": "7",
        "MEDSAM_SCHEDULER": "off",
    })
    assert settings["nightly_time"] == "03:30"
    assert settings["planning_horizon_days"] == 7
    assert settings["scheduler"] == "off"
    assert settings["log_level"] == "DEBUG"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"MEDSAM_NIGHTLY_TIME": "25:00"}, "MEDSAM_NIGHTLY_TIME"),
        ({"MEDSAM_NIGHTLY_TIME": "2am"}, "MEDSAM_NIGHTLY_TIME"),
        ({"MEDSAM_PLANNING_HORIZON_DAYS": "two weeks"}, "MEDSAM_PLANNING_HORIZON_DAYS"),
        ({"MEDSAM_PLANNING_HORIZON_DAYS": "0"}, "MEDSAM_PLANNING_HORIZON_DAYS"),
        ({"MEDSAM_SCHEDULER": "cron"}, "MEDSAM_SCHEDULER"),
        ({"MEDSAM_LOG_LEVEL": "LOUD"}, "MEDSAM_LOG_LEVEL"),
        ({"MEDSAM_DATABASE_URL": "mysql://db/medsam"}, "MEDSAM_DATABASE_URL"),
        ({"MEDSAM_SECRET_KEY": "  "}, "MEDSAM_SECRET_KEY"),
        ({"MEDSAM_CHECK_SCHEMA": "maybe"}, "MEDSAM_CHECK_SCHEMA"),
        ({"MEDSAM_CONFIG": "/nonexistent/medsam.toml"}, "MEDSAM_CONFIG"),
        ({"MEDSAM_BROKER_URL": "kafka://queue:9092"}, "MEDSAM_BROKER_URL"),
        ({"MEDSAM_BROKER_URL": "127.0.0.1:6379"}, "MEDSAM_BROKER_URL"),
        ({"MEDSAM_MESSAGE_LEASE_SECONDS": "0"}, "MEDSAM_MESSAGE_LEASE_SECONDS"),
        ({"MEDSAM_ATTENDANCE_DEFAULT_DAYS": "-1"}, "MEDSAM_ATTENDANCE_DEFAULT_DAYS"),
        ({"MEDSAM_ERASURE_WITHOUT_CONFIRMATION": "maybe"}, "MEDSAM_ERASURE_WITHOUT_CONFIRMATION"),
    ],
)
def test_a_wrong_setting_is_one_line_naming_it(environ, named):
    with pytest.raises(ConfigError) as error:
        load_settings(environ)
    message = str(error.value)
    assert named in message
    assert "\n" not in message


def test_a_wrong_value_in_the_config_file_names_key_and_file(tmp_path: Path):
    config_file = tmp_path / "medsam.toml"
    config_file.write_text("planning_horizon_days = -3\n")
    with pytest.raises(ConfigError) as error:
        load_settings({"MEDSAM_CONFIG": str(config_file)})
    assert "planning_horizon_days" in str(error.value) and str(config_file) in str(error.value)

    config_file.write_text('nightly_hour = "02"\n')
    with pytest.raises(ConfigError, match="unknown setting 'nightly_hour'"):
        load_settings({"MEDSAM_CONFIG": str(config_file)})

    config_file.write_text("this is not toml = = \n")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_settings({"MEDSAM_CONFIG": str(config_file)})


def test_embedded_database_is_sqlite_in_a_created_data_folder(tmp_path: Path):
    data_dir = tmp_path / "data" / "medsam"
    settings = load_settings({"MEDSAM_DATA_DIR": str(data_dir)})
    assert database_url(settings) == f"sqlite:///{data_dir / 'medsam.db'}"
    assert data_dir.is_dir()
    assert database_url({**settings, "database_url": "postgresql+psycopg://u@h/db"}) == (
        "postgresql+psycopg://u@h/db")


def test_the_embedded_database_is_private_to_its_owner(monkeypatch, tmp_path: Path):
    import stat

    from medsam_match.extensions import db

    data_dir = tmp_path / "data" / "medsam"
    monkeypatch.setenv("MEDSAM_DATA_DIR", str(data_dir))
    app = create_app({"MEDSAM_SCHEDULER": "off"}, check_schema=False)
    database = data_dir / "medsam.db"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{database}"
    with app.app_context():
        db.create_all()  # SQLite writes into the file made beforehand
        db.engine.dispose()
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for path in data_dir.iterdir():  # medsam.db and its -wal/-shm files
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    # A file made world-readable before is made private again.
    database.chmod(0o644)
    database_url(load_settings({"MEDSAM_DATA_DIR": str(data_dir)}))
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_create_app_reads_the_environment(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("MEDSAM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MEDSAM_NIGHTLY_TIME", "4:15")
    app = create_app({"MEDSAM_SCHEDULER": "off"}, check_schema=False)
    assert app.config["MEDSAM_NIGHTLY_TIME"] == "04:15"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'medsam.db'}"


def test_the_command_line_stops_with_one_clear_line(tmp_path: Path):
    cli = Path(sys.executable).with_name("medsam-match")
    env = {**os.environ, "MEDSAM_DATA_DIR": str(tmp_path), "MEDSAM_SCHEDULER": "weekly"}
    result = subprocess.run([str(cli), "token", "list"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "MEDSAM_SCHEDULER" in lines[0] and "embedded, off" in lines[0]
