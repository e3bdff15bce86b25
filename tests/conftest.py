"""Shared fixtures: a real knowledge base built by the real builder into a temporary SQLite file."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from common.settings import PROJECT_DIR
from knowledge import builder
from knowledge.queries import KnowledgeRepository

KNOWLEDGE_DIR = PROJECT_DIR / "knowledge"


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """These environment variables for the block (a stack's settings), then what was there before (for fixtures
    wider than a test, where pytest's monkeypatch does not reach)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.sqlite3'}"
    builder.build(url, KNOWLEDGE_DIR)
    return url


@pytest.fixture(scope="session")
def repo(kb_url) -> KnowledgeRepository:
    return KnowledgeRepository(kb_url, KNOWLEDGE_DIR)


class RepositoryPerBase:
    """`queries.default_repository` for tests: one repository per (base, knowledge folder) the environment
    names, built once for the whole run. Building one reads the whole base (~0.4 s), which per test was most of
    the unit suite's time; a test that points the environment at another base gets that base's repository."""

    def __init__(self) -> None:
        self._built: dict[tuple[str, str], KnowledgeRepository] = {}

    def __call__(self) -> KnowledgeRepository:
        from common.settings import get_settings

        settings = get_settings()
        key = (settings.knowledge_db_url, str(settings.knowledge_dir))
        if key not in self._built:
            self._built[key] = KnowledgeRepository(key[0], Path(key[1]))
        return self._built[key]

    def cache_clear(self) -> None:
        """Nothing to clear: the repository follows the environment (kept for the tests that call it)."""


REPOSITORIES = RepositoryPerBase()


@pytest.fixture()
def default_kb(kb_url, monkeypatch):
    """Point the module-level query functions (what actions use) at the test base."""
    from knowledge import queries

    monkeypatch.setenv("KNOWLEDGE_DB_URL", kb_url)
    monkeypatch.setattr(queries, "default_repository", REPOSITORIES)
    yield


@pytest.fixture()
def third_job_kb(tmp_path, monkeypatch):
    """The real knowledge files plus a third job added as data only (its sheet and one data file)."""
    from knowledge import builder, queries
    from tests.knowledge.test_builder import THIRD_JOB, THIRD_SHEET, _copy_knowledge

    knowledge = _copy_knowledge(tmp_path)
    (knowledge / "sheets" / "conseiller-patrimoine.txt").write_text(THIRD_SHEET, encoding="utf-8")
    (knowledge / "jobs" / "patrimoine.yml").write_text(THIRD_JOB, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'kb3.sqlite3'}"
    builder.build(url, knowledge)
    monkeypatch.setenv("KNOWLEDGE_DB_URL", url)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge))
    queries.default_repository.cache_clear()
    yield
    queries.default_repository.cache_clear()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


EMBEDDING_ORIGIN = "http://lycee.example:8443"


@pytest.fixture(scope="session")
def school_site_origin() -> str:
    """A school's site on another loopback origin, embedding the chat with rasa-webchat (tests/web/test_embed.py)."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="session")
def stack(tmp_path_factory, kb_url, school_site_origin):
    """The real bot (action server, Rasa server, chat page) on free loopback ports, with a fresh tracker store."""

    from common.settings import get_settings
    from launch.stack import Stack

    if not any((PROJECT_DIR / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` (make test does it)")
    env = {
        "RASA_PORT": str(free_port()), "ACTIONS_PORT": str(free_port()), "WEB_PORT": str(free_port()),
        "KNOWLEDGE_DB_URL": kb_url, "BOT_HOST": "127.0.0.1",
        # schools' sites embedding the chat (tests/e2e: CORS, socket.io; tests/web: rasa-webchat in a real browser)
        "ALLOWED_ORIGINS": f"{EMBEDDING_ORIGIN} {school_site_origin}",
        "TRACKER_DB_URL": f"sqlite:///{tmp_path_factory.mktemp('tracker') / 'conversations.sqlite3'}",
    }
    with environment(env):
        running = Stack(get_settings(), quiet=True)
        try:
            running.start()
            yield running
        finally:
            running.stop()


@pytest.fixture(scope="session")
def postgres_url():
    """A private PostgreSQL server on a free loopback port (Debian's postgresql, installed by `make test`)."""
    import os
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        pytest.fail("PostgreSQL is not installed: run `make test` (it installs Debian's postgresql)")
    bindir = bins[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="kb-pg-"))
    folder.chmod(0o777)  # the server runs as the `postgres` user when the tests run as root
    port = free_port()

    def run(command: str) -> None:
        wrapper = ["su", "postgres", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]
        subprocess.run(wrapper, check=True, capture_output=True, timeout=120)

    run(f"{bindir}/initdb -D {folder}/data -A trust -U kb")
    run(f"{bindir}/pg_ctl -D {folder}/data -l {folder}/server.log -w start "
        f"-o '-p {port} -k {folder} -c listen_addresses=127.0.0.1'")
    try:
        run(f"{bindir}/createdb -h 127.0.0.1 -p {port} -U kb knowledge")
        yield f"postgresql://kb@127.0.0.1:{port}/knowledge"
    finally:
        run(f"{bindir}/pg_ctl -D {folder}/data -m fast -w stop")
        shutil.rmtree(folder, ignore_errors=True)
