"""Shared fixtures: a real knowledge base built by the real builder into a temporary SQLite file."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import PROJECT_DIR
from knowledge import builder
from knowledge.queries import KnowledgeRepository

KNOWLEDGE_DIR = PROJECT_DIR / "knowledge"


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.sqlite3'}"
    builder.build(url, KNOWLEDGE_DIR)
    return url


@pytest.fixture(scope="session")
def repo(kb_url) -> KnowledgeRepository:
    return KnowledgeRepository(kb_url, KNOWLEDGE_DIR)


@pytest.fixture()
def default_kb(kb_url, monkeypatch):
    """Point the module-level query functions (what actions use) at the test base."""
    from knowledge import queries

    monkeypatch.setenv("KNOWLEDGE_DB_URL", kb_url)
    queries.default_repository.cache_clear()
    yield
    queries.default_repository.cache_clear()
