"""Settings: config/defaults.toml, then the file named by MEDSAM_CONFIG, then
environment variables MEDSAM_<KEY>.

Every setting is checked here, once, at start-up: a wrong value stops the
service with one line naming the setting and saying what would be right.
"""

from __future__ import annotations

import os
import re
import secrets
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


# --- the secret key ---

MIN_SECRET_KEY_LENGTH = 32
MAKE_A_KEY = (
    "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))' "
    "and set MEDSAM_SECRET_KEY (or MEDSAM_SECRET_KEY_FILE, a file holding it)"
)
# Values that were ever printed in this project's files or are commonly tried.
PUBLISHED_SECRET_KEYS = frozenset({
    "dev-only-change-me", "change-me", "changeme", "change_me", "secret", "secret-key",
    "secret_key", "secretkey", "test", "testing", "dev", "development", "default",
})


def _published_secret_keys() -> frozenset[str]:
    """The fixed list plus every secret_key in the config/ files shipped."""
    found = set(PUBLISHED_SECRET_KEYS)
    for path in sorted((project_dir() / "config").glob("*.toml")):
        try:
            with path.open("rb") as handle:
                value = tomllib.load(handle).get("secret_key")
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if isinstance(value, str) and value.strip():
            found.add(value.strip().lower())
    return frozenset(found)


def weak_secret_key_reason(key: str) -> str | None:
    """Why a secret key must not be used (None: it may)."""
    if key.strip().lower() in _published_secret_keys():
        return "is a published example value, with which anyone can forge sign-ins"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return (f"is too short ({len(key)} characters, at least {MIN_SECRET_KEY_LENGTH} "
                "needed), so it can be guessed")
    if len(set(key)) < 8:
        return "has too few different characters to be random"
    return None


def _secret_key(value: Any) -> str:
    text = _text(value)
    if text == "":
        return ""  # not set: commands work, serving refuses (require_secret_key)
    text = text.strip()
    if not text:
        raise ValueError(f"is blank; {MAKE_A_KEY}")
    reason = weak_secret_key_reason(text)
    if reason:
        raise ValueError(f"{reason}; {MAKE_A_KEY}")
    return text


def _optional_path(value: Any) -> str:
    return _text(value).strip()


def require_secret_key(secret_key: str) -> None:
    """Stop a serving process that has no secret key of its own."""
    if not secret_key:
        raise ConfigError(
            "MEDSAM_SECRET_KEY is not set: the service signs its cookies with it and "
            f"serves nothing without one; {MAKE_A_KEY}"
        )


def require_signing_key(config: Mapping[str, Any]) -> None:
    """Stop a process that signs things lasting beyond it (links in messages,
    cookies) while its key is the throwaway one of a process without a key."""
    key = config.get("SECRET_KEY")
    if not key or key == config.get("MEDSAM_THROWAWAY_SECRET_KEY"):
        require_secret_key("")


def _read_secret_key_file(settings: dict[str, Any], where: str) -> None:
    path = Path(settings["secret_key_file"])
    name = "MEDSAM_SECRET_KEY_FILE" if where == "MEDSAM_SECRET_KEY_FILE" else "secret_key_file"
    if settings["secret_key"]:
        raise ConfigError("set either MEDSAM_SECRET_KEY or MEDSAM_SECRET_KEY_FILE, not both")
    try:
        key = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{name} {path} cannot be read: {exc}") from None
    if not key:
        raise ConfigError(f"{name} {path} is empty; {MAKE_A_KEY}")
    reason = weak_secret_key_reason(key)
    if reason:
        raise ConfigError(f"the key in {name} {path} {reason}; {MAKE_A_KEY}")
    settings["secret_key"] = key


def _database_url(value: Any) -> str:
    value = _text(value).strip()
    if value and not re.match(r"^(sqlite|postgresql\+psycopg)://", value):
        raise ValueError(
            "must start with sqlite:// or postgresql+psycopg:// "
            "(e.g. postgresql+psycopg://medsam:secret@db:5432/medsam)"
        )
    return value


def _storage_url(value: Any) -> str:
    text = _text(value).strip()
    if not text:
        return ""  # the broker if it is Redis, else memory (ratelimit_storage)
    scheme = text.split("://", 1)[0] if "://" in text else ""
    if scheme not in RATELIMIT_SCHEMES:
        raise ValueError(
            f"must be memory:// or a redis://host:6379/0 address, got {value!r}"
        )
    return text


BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps", "pyamqp", "sentinel")


def _broker_url(value: Any) -> str:
    text = _text(value).strip()
    if text and text.split("://", 1)[0] not in BROKER_SCHEMES:
        raise ValueError(
            "must be empty (no task queue: the embedded worker) or a broker address such as "
            f"redis://127.0.0.1:6379/0 or amqp://guest:guest@127.0.0.1:5672//, got {value!r}"
        )
    return text


def ratelimit_storage(settings: Mapping[str, Any]) -> str:
    """Where the rate limits count: the setting; unset, the broker when it is
    Redis (every process shares it), else each process's memory."""
    if settings.get("ratelimit_storage_url"):
        return str(settings["ratelimit_storage_url"])
    broker = str(settings.get("broker_url") or "")
    if broker.startswith(("redis://", "rediss://")):
        return broker
    return "memory://"


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


def _map_tile_url(value: Any) -> str:
    """Empty (maps without a background), or an http(s) tile URL with {z}, {x} and {y}."""
    text = _text(value).strip()
    if not text:
        return ""
    if not text.startswith(("https://", "http://")) or not all(
        part in text for part in ("{z}", "{x}", "{y}")
    ):
        raise ValueError(
            "must be empty or an http(s) address with {z}, {x} and {y}, "
            "e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )
    return text


def map_tile_origin(tile_url: str) -> str:
    """The origin the pages may load map tiles from, for the Content-Security-Policy
    ("https://{s}.tile.example.org/..." -> "https://*.tile.example.org")."""
    if not tile_url:
        return ""
    scheme, rest = tile_url.split("://", 1)
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}"


SMTP_SECURITY = ("none", "starttls", "tls")


def _base_url(value: Any) -> str:
    text = _text(value).strip().rstrip("/")
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", text):
        raise ValueError(f"must be the public address, e.g. https://medsam.example.no, got {value!r}")
    return text


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
    Setting("secret_key", _secret_key),
    Setting("secret_key_file", _optional_path),
    Setting("proxy_hops", _integer(0, 10)),
    Setting("max_request_bytes", _integer(1024, 1 << 30)),
    Setting("scheduler", _one_of(SCHEDULER_MODES)),
    Setting("broker_url", _broker_url),
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
    Setting("map_tile_url", _map_tile_url),
    # Messages (services/notifications; docs/operations.md "Mail and SMS").
    Setting("base_url", _base_url),
    Setting("smtp_host", _optional_path),
    Setting("smtp_port", _integer(0, 65535)),
    Setting("smtp_user", _optional_path),
    Setting("smtp_password", _text),
    Setting("smtp_security", _one_of(SMTP_SECURITY)),
    Setting("mail_from", _non_empty),
    Setting("reminder_hours", _integer(1, 168)),
    Setting("message_max_tries", _integer(1, 100)),
    Setting("message_retry_seconds", _integer(1, 86400)),
    Setting("message_lease_seconds", _integer(1, 86400)),
    Setting("sms_gateway_url", _optional_path),
    Setting("sms_gateway_method", _one_of(("POST", "PUT", "GET"), upper=True)),
    Setting("sms_gateway_auth_header", _text),
    Setting("sms_gateway_body", _text),
    Setting("sms_from", _text),
    # Volunteers' self-service (docs/operations.md "Attendance and erasure").
    Setting("attendance_default_days", _integer(0, 365)),
    Setting("erasure_without_confirmation", _boolean),
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

    if settings["secret_key_file"]:
        _read_secret_key_file(settings, sources["secret_key_file"])
    if settings["run_time_limit_s"] > settings["max_run_time_limit_s"]:
        raise ConfigError("run_time_limit_s must not exceed max_run_time_limit_s")
    return settings


def database_url(settings: Mapping[str, Any]) -> str:
    """The configured URL, or the embedded SQLite file in the data folder."""
    if settings["database_url"]:
        return str(settings["database_url"])
    data_dir = Path(settings["data_dir"]).resolve()
    database = data_dir / "medsam.db"
    try:
        if not data_dir.is_dir():
            # Only its owner may look inside (parents are made as the umask says).
            data_dir.mkdir(parents=True, mode=0o700)
            data_dir.chmod(0o700)
        private_file(database)
    except OSError as exc:
        raise ConfigError(f"MEDSAM_DATA_DIR {data_dir} cannot be created: {exc}") from None
    return f"sqlite:///{database}"


def private_file(path: Path) -> None:
    """Make `path` readable and writable by its owner only (0600), creating
    it empty when missing (SQLite takes an empty file as a new database and
    gives its -wal and -shm files the same mode)."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(descriptor)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)


def flask_config(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Flask config keys: the standard ones plus MEDSAM_<KEY> for each setting."""
    config: dict[str, Any] = {ENV_PREFIX + key.upper(): value for key, value in settings.items()}
    # Without a key of its own (commands that serve nothing), a throwaway one:
    # nothing signed with it outlives the process. Serving requires a real one.
    config["SECRET_KEY"] = settings["secret_key"]
    if not settings["secret_key"]:
        config["SECRET_KEY"] = config["MEDSAM_THROWAWAY_SECRET_KEY"] = secrets.token_urlsafe(48)
    config["MAX_CONTENT_LENGTH"] = settings["max_request_bytes"]
    config["MEDSAM_MAP_TILE_ORIGIN"] = map_tile_origin(settings.get("map_tile_url", ""))
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    return config
