"""Settings: config/defaults.toml, then the file named by MEDSAM_CONFIG, then
environment variables MEDSAM_<KEY>.

Every setting is checked here, once, at start-up: a wrong value stops the
service with one line naming the setting and saying what would be right.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "MEDSAM_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
SCHEDULER_MODES = ("embedded", "off")
# Where the rate limits count (the storages of the `limits` library).
RATELIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+unix", "redis+sentinel",
                     "redis+cluster", "valkey", "valkeys", "memcached")


class ConfigError(SystemExit):
    """A setting is wrong. Exits with its one-line message (no traceback)."""

    def __init__(self, message: str) -> None:
        super().__init__(f"medsam-match: configuration error: {message}")
        self.message = message


def project_dir() -> Path:
    """The folder holding config/ and migrations/.

    The source checkout when run from it; else the working directory (the
    container image copies both folders into its working directory).
    """
    source_root = Path(__file__).resolve().parents[1]
    if (source_root / "config" / "defaults.toml").is_file():
        return source_root
    return Path.cwd()


# --- value checks: each returns the clean value or raises ValueError(why) ---

def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value


def _non_empty(value: Any) -> str:
    value = _text(value).strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def _database_url(value: Any) -> str:
    value = _text(value).strip()
    if value and not re.match(r"^(sqlite|postgresql\+psycopg)://", value):
        raise ValueError(
            "must start with sqlite:// or postgresql+psycopg:// "
            "(e.g. postgresql+psycopg://medsam:secret@db:5432/medsam)"
        )
    return value


def _storage_url(value: Any) -> str:
    text = _text(value).strip() or "memory://"
    scheme = text.split("://", 1)[0] if "://" in text else ""
    if scheme not in RATELIMIT_SCHEMES:
        raise ValueError(
            f"must be memory:// or a redis://host:6379/0 address, got {value!r}"
        )
    return text


def _integer(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("must be a whole number")
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValueError(f"must be a whole number, got {value!r}") from None
        if not low <= number <= high:
            raise ValueError(f"must be between {low} and {high}, got {number}")
        return number

    return check


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"must be true or false, got {value!r}")


def _clock_time(value: Any) -> str:
    text = _text(value).strip()
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"must be a time of day HH:MM, e.g. 02:00, got {value!r}")
    return f"{int(match[1]):02d}:{match[2]}"


def _one_of(choices: tuple[str, ...], *, upper: bool = False) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _text(value).strip()
        text = text.upper() if upper else text.lower()
        if text not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, got {value!r}")
        return text

    return check


@dataclass(frozen=True)
class Setting:
    key: str
    check: Callable[[Any], Any]

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.key.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", _database_url),
    Setting("data_dir", _non_empty),
    Setting("secret_key", _non_empty),
    Setting("scheduler", _one_of(SCHEDULER_MODES)),
    Setting("nightly_time", _clock_time),
    Setting("planning_horizon_days", _integer(1, 365)),
    Setting("solver_workers", _integer(1, 64)),
    Setting("run_time_limit_s", _integer(1, 3600)),
    Setting("max_run_time_limit_s", _integer(1, 86400)),
    Setting("nightly_time_limit_s", _integer(1, 3600)),
    Setting("nightly_grace_hours", _integer(0, 23)),
    Setting("repair_time_limit_s", _integer(1, 3600)),
    Setting("max_queued_runs_per_centre", _integer(1, 1000)),
    Setting("solver_memory_limit_mb", _integer(256, 1048576)),
    Setting("rate_limit_per_minute", _integer(0, 1000000)),
    Setting("failed_logins_per_minute", _integer(0, 1000000)),
    Setting("ratelimit_storage_url", _storage_url),
    Setting("log_level", _one_of(LOG_LEVELS, upper=True)),
    Setting("check_schema", _boolean),
)
_BY_KEY = {setting.key: setting for setting in SETTINGS}


def _read_toml(path: Path, what: str) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{what} {path} does not exist") from None
    except (tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError(f"{what} {path} cannot be read: {exc}") from None
    unknown = sorted(set(data) - set(_BY_KEY))
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r} in {path}")
    return data


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """All settings, checked, keyed by their lower-case name."""
    environ = os.environ if environ is None else environ
    raw: dict[str, Any] = _read_toml(project_dir() / "config" / "defaults.toml", "defaults file")
    sources = {key: "config/defaults.toml" for key in raw}

    config_file = environ.get("MEDSAM_CONFIG", "").strip()
    if config_file:
        path = Path(config_file)
        for key, value in _read_toml(path, "MEDSAM_CONFIG file").items():
            raw[key], sources[key] = value, str(path)

    for setting in SETTINGS:
        if setting.env_name in environ:
            raw[setting.key], sources[setting.key] = environ[setting.env_name], setting.env_name

    settings: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.key not in raw:
            raise ConfigError(f"{setting.key} is not set (config/defaults.toml is incomplete)")
        try:
            settings[setting.key] = setting.check(raw[setting.key])
        except ValueError as exc:
            where = sources[setting.key]
            name = setting.env_name if where == setting.env_name else setting.key
            raise ConfigError(f"{name} (from {where}) {exc}") from None

    if settings["run_time_limit_s"] > settings["max_run_time_limit_s"]:
        raise ConfigError("run_time_limit_s must not exceed max_run_time_limit_s")
    return settings


def database_url(settings: Mapping[str, Any]) -> str:
    """The configured URL, or the embedded SQLite file in the data folder."""
    if settings["database_url"]:
        return str(settings["database_url"])
    data_dir = Path(settings["data_dir"]).resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"MEDSAM_DATA_DIR {data_dir} cannot be created: {exc}") from None
    return f"sqlite:///{data_dir / 'medsam.db'}"


def flask_config(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Flask config keys: the standard ones plus MEDSAM_<KEY> for each setting."""
    config: dict[str, Any] = {ENV_PREFIX + key.upper(): value for key, value in settings.items()}
    config["SECRET_KEY"] = settings["secret_key"]
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    return config
