"""Engine factory: nothing connects at import time; one engine per URL, made on first use."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """Return the (cached) engine for a SQLAlchemy URL."""
    return create_engine(url, future=True)
