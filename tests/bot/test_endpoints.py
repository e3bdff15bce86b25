"""One endpoints file (endpoints.yml, Rasa's ${VAR} substitution) and one source of settings for every process:
Rasa builds the project's stores from the variables launch/stack.py gives its children; nothing secret on disk."""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from rasa.core.lock_store import LockStore
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.utils.common import class_from_module_path

from bot.lock_store import WakingInMemoryLockStore, WakingRedisLockStore
from bot.replica_store import FailLoudSQLTrackerStore
from bot.tracker_store import CachedSQLTrackerStore
from common.settings import ENVIRONMENT_NAMES, Settings, get_settings
from launch.scaled import ScaledStack
from launch.stack import ENDPOINTS_FILE, child_env

SECRET = "pw-Zq81"


def _read_endpoints_as_a_child(settings: Settings, monkeypatch) -> AvailableEndpoints:
    for name, value in child_env(settings).items():
        monkeypatch.setenv(name, value)
    return AvailableEndpoints.read_endpoints(str(ENDPOINTS_FILE))


def test_rasa_builds_the_project_stores_from_the_one_endpoints_file(monkeypatch, tmp_path):
    settings = dataclasses.replace(get_settings(), tracker_db_url=f"sqlite:///{tmp_path / 'new' / 'c.sqlite3'}",
                                   actions_port=5999, tracker_cache_size=7, lock_store_url=None)
    endpoints = _read_endpoints_as_a_child(settings, monkeypatch)
    assert endpoints.action.url == "http://127.0.0.1:5999/webhook"
    store = TrackerStore.create(endpoints.tracker_store, Domain.empty())
    store = getattr(store, "_tracker_store", store)
    assert type(store) is FailLoudSQLTrackerStore and store._saved.size == 7  # one process as replicas
    assert str(store.engine.url) == settings.tracker_db_url and (tmp_path / "new").is_dir()
    assert isinstance(LockStore.create(endpoints.lock_store), WakingInMemoryLockStore)
    assert endpoints.nlg.type == "bot.nlg.JobsNaturalLanguageGenerator"


def test_postgresql_and_redis_credentials_come_from_the_environment_only(monkeypatch):
    settings = dataclasses.replace(get_settings(), tracker_db_url=f"postgresql://bot:{SECRET}@db.local:5433/conv",
                                   lock_store_url=f"redis://:{SECRET}@cache.local:6390/2")
    endpoints = _read_endpoints_as_a_child(settings, monkeypatch)
    assert endpoints.tracker_store.url == settings.tracker_db_url
    assert endpoints.lock_store.type == "bot.lock_store.WakingRedisLockStore"
    assert endpoints.lock_store.url == settings.lock_store_url
    assert SECRET not in ENDPOINTS_FILE.read_text()  # the file Rasa reads holds no secret


def test_scaled_replicas_read_the_one_endpoints_file_with_their_stores(monkeypatch):
    """launch/scaled.py writes no endpoints file: its replicas read endpoints.yml with the replicas' settings."""
    settings = dataclasses.replace(get_settings(), actions_port=5999, lock_store_url=None)
    stack = ScaledStack(settings, replica_ports=[6101, 6102], postgres_port=6103, redis_port=6104)
    command, env = stack.replica_command(1)
    assert command[command.index("--endpoints") + 1] == str(ENDPOINTS_FILE) and "--port" in command
    assert command[command.index("--port") + 1] == "6102"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(ENDPOINTS_FILE))
    assert endpoints.action.url == "http://127.0.0.1:5999/webhook"
    assert endpoints.tracker_store.type == "bot.replica_store.FailLoudSQLTrackerStore"
    assert endpoints.tracker_store.url == stack.tracker_db_url == get_settings().tracker_db_url
    assert issubclass(class_from_module_path(endpoints.tracker_store.type), CachedSQLTrackerStore)
    lock_store = LockStore.create(endpoints.lock_store)  # redis-py connects lazily: nothing started here
    assert isinstance(lock_store, WakingRedisLockStore)
    assert lock_store.red.connection_pool.connection_kwargs["port"] == 6104
    assert endpoints.nlg.type == "bot.nlg.JobsNaturalLanguageGenerator" and env["TICKET_LOCK_LIFETIME"] == "60"


def test_redis_lock_store_from_the_endpoints_file(monkeypatch):
    """Built without connecting (redis-py connects lazily): host, port, db and password from LOCK_STORE_URL."""
    settings = dataclasses.replace(get_settings(), lock_store_url=f"redis://:{SECRET}@cache.local:6390/2")
    store = LockStore.create(_read_endpoints_as_a_child(settings, monkeypatch).lock_store)
    assert isinstance(store, WakingRedisLockStore)
    connection = store.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"], connection["password"]) == (
        "cache.local", 6390, 2, SECRET)


def _unusual_value(field: dataclasses.Field):
    kind = str(field.type)
    if "int" in kind:
        return 4321
    if "float" in kind:
        return 2.5
    if "Path" in kind:
        return Path("/tmp/somewhere-else")
    if field.name.endswith("_url") and field.name.startswith("public"):
        return f"https://{field.name.replace('_', '-')}.example.org"  # checked as an http(s) URL
    return f"value-of-{field.name}"


def test_every_setting_reaches_the_children(monkeypatch):
    """A Stack built with other settings gives its children exactly those settings (every field, none left out)."""
    fields = dataclasses.fields(Settings)
    assert {field.name for field in fields} == set(ENVIRONMENT_NAMES)
    unusual = Settings(**{field.name: _unusual_value(field) for field in fields})
    for name in ENVIRONMENT_NAMES.values():
        monkeypatch.delenv(name, raising=False)
    for name, value in child_env(unusual).items():
        monkeypatch.setenv(name, value)
    assert get_settings() == unusual


@pytest.mark.parametrize("missing", ["TRACKER_DB_URL", "ACTION_ENDPOINT_URL"])
def test_a_missing_variable_is_named(monkeypatch, missing):
    for name, value in child_env(get_settings()).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(missing)
    with pytest.raises(Exception, match=missing):
        AvailableEndpoints.read_endpoints(str(ENDPOINTS_FILE))
    assert os.environ.get(missing) is None
