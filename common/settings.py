"""The one place that reads the environment. Every variable is documented in `.env.example`."""
from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
# endpoints.yml's tracker store class, the same for one Rasa process and for replicas: a database error is retried,
# then the student gets the apology and nothing is kept anywhere (never Rasa's silent in-memory fallback)
DEFAULT_TRACKER_STORE_TYPE = "bot.replica_store.FailLoudSQLTrackerStore"


def _number(name: str, default: float, kind: type = int, what: str = "a whole number") -> Any:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise SystemExit(f"{name} must be {what}, got {raw!r}") from None


def _int(name: str, default: int) -> int:
    return int(_number(name, default))


def _float(name: str, default: float) -> float:
    return float(_number(name, default, float, "a number of seconds"))


@dataclass(frozen=True)
class Settings:
    """Settings read from the environment, with the defaults a new user needs."""

    knowledge_db_url: str
    knowledge_dir: Path
    tracker_db_url: str
    host: str
    rasa_port: int
    actions_port: int
    web_port: int
    max_message_chars: int
    retention_days: int
    rasa_api_token: str | None = None
    console_port: int = 8010
    console_token: str | None = None
    console_nlu_dir: Path = PROJECT_DIR / "data" / "nlu"
    tracker_cache_size: int = 1000
    lock_store_url: str | None = None
    tracker_store_type: str = DEFAULT_TRACKER_STORE_TYPE
    allowed_origins: str | None = None  # other sites embedding the chat (rasa-webchat, a school's page)
    model_reload_seconds: float = 10.0  # how often a running server looks for a newer model (0: never)
    public_rasa_url: str | None = None  # where browsers reach Rasa behind a proxy ("https://orientation.example.org")

    def environment(self) -> dict[str, str]:
        """Every setting as the variable `get_settings` reads: what each child process gets (launch/stack.py)."""
        return {name: "" if getattr(self, field) is None else str(getattr(self, field))
                for field, name in ENVIRONMENT_NAMES.items()}

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def browser_rasa_url(self) -> str:
        """The Rasa server as the chat page's browsers reach it: PUBLIC_RASA_URL behind a proxy, else rasa_url."""
        return (self.public_rasa_url or self.rasa_url).rstrip("/")

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}/webhook"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.web_port}/"

    @property
    def origins(self) -> tuple[str, ...]:
        """Web origins that may call the Rasa server (REST CORS and socket.io alike): the chat page's own, then
        ALLOWED_ORIGINS (separated by spaces or commas, e.g. "https://www.lycee.fr https://orientation.fr")."""
        page = self.web_url.rstrip("/")
        own = (page, page.replace("127.0.0.1", "localhost")) if "127.0.0.1" in page else (page,)
        extra = [o.strip().rstrip("/") for o in (self.allowed_origins or "").replace(",", " ").split()]
        return tuple(dict.fromkeys([*own, *(o for o in extra if o)]))


# Settings field -> environment variable (a test checks that every field is here and reads back the same)
ENVIRONMENT_NAMES = {
    "knowledge_db_url": "KNOWLEDGE_DB_URL", "knowledge_dir": "KNOWLEDGE_DIR", "tracker_db_url": "TRACKER_DB_URL",
    "host": "BOT_HOST", "rasa_port": "RASA_PORT", "actions_port": "ACTIONS_PORT", "web_port": "WEB_PORT",
    "max_message_chars": "MAX_MESSAGE_CHARS", "retention_days": "RETENTION_DAYS", "rasa_api_token": "RASA_API_TOKEN",
    "console_port": "CONSOLE_PORT", "console_token": "CONSOLE_TOKEN", "console_nlu_dir": "CONSOLE_NLU_DIR",
    "tracker_cache_size": "TRACKER_CACHE_SIZE", "lock_store_url": "LOCK_STORE_URL",
    "tracker_store_type": "TRACKER_STORE_TYPE", "allowed_origins": "ALLOWED_ORIGINS",
    "model_reload_seconds": "MODEL_RELOAD_SECONDS", "public_rasa_url": "PUBLIC_RASA_URL",
}


def get_settings() -> Settings:
    """Read the settings now (not at import time, so tests can change the environment)."""
    var = PROJECT_DIR / "var"
    return Settings(
        knowledge_db_url=os.environ.get("KNOWLEDGE_DB_URL") or f"sqlite:///{var / 'knowledge.sqlite3'}",
        knowledge_dir=Path(os.environ.get("KNOWLEDGE_DIR") or PROJECT_DIR / "knowledge"),
        tracker_db_url=os.environ.get("TRACKER_DB_URL") or f"sqlite:///{var / 'conversations.sqlite3'}",
        host=os.environ.get("BOT_HOST", "127.0.0.1"),
        rasa_port=_int("RASA_PORT", 5005),
        actions_port=_int("ACTIONS_PORT", 5055),
        web_port=_int("WEB_PORT", 8000),
        max_message_chars=_int("MAX_MESSAGE_CHARS", 1500),
        retention_days=_int("RETENTION_DAYS", 30),
        rasa_api_token=os.environ.get("RASA_API_TOKEN") or None,
        console_port=_int("CONSOLE_PORT", 8010),
        console_token=os.environ.get("CONSOLE_TOKEN") or None,
        console_nlu_dir=Path(os.environ.get("CONSOLE_NLU_DIR") or PROJECT_DIR / "data" / "nlu"),
        tracker_cache_size=_int("TRACKER_CACHE_SIZE", 1000),
        lock_store_url=os.environ.get("LOCK_STORE_URL") or None,
        tracker_store_type=os.environ.get("TRACKER_STORE_TYPE") or DEFAULT_TRACKER_STORE_TYPE,
        allowed_origins=os.environ.get("ALLOWED_ORIGINS") or None,
        model_reload_seconds=_float("MODEL_RELOAD_SECONDS", 10.0),
        public_rasa_url=_public_url(os.environ.get("PUBLIC_RASA_URL", "")),
    )


def _public_url(raw: str) -> str | None:
    """PUBLIC_RASA_URL, checked: an http(s) origin the page's socket.io connects to (and its CSP allows)."""
    url = raw.strip().rstrip("/")
    if not url:
        return None
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~/-]*)?", url):
        raise SystemExit(f"PUBLIC_RASA_URL must be an http(s) URL such as https://orientation.example.org, got {raw!r}")
    return url


INTERNAL_TOKEN_FILE = "rasa_api_token"


def with_internal_token(settings: Settings, state_dir: Path | None = None) -> Settings:
    """The settings with a token for Rasa's HTTP API: RASA_API_TOKEN when set, else one generated once and kept in
    var/rasa_api_token (readable by this account only). `make run` starts Rasa's API with it and the console pushes
    advisors' answers with it (ops/console/advisors.py); it never appears on a command line."""
    if settings.rasa_api_token:
        return settings
    state = state_dir or PROJECT_DIR / "var"
    path = state / INTERNAL_TOKEN_FILE
    token = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    if not token:
        state.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(token)
    return replace(settings, rasa_api_token=token)
