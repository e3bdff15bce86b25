"""A table of the project's own beside Rasa's `events` in the conversations' database (the advisors' queue, the
students' ratings): created on first use, and emptied of a student by `forget` and of old rows by `purge`, as the
conversations are. Only SQLAlchemy."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine


class SideTable:
    def __init__(self, url: str, table: sa.Table, time_column: str, engine: Engine | None = None):
        self.url = url
        self.table = table
        self._time = table.c[time_column]  # when a row was written: the retention reads it
        self._engine = engine
        self._ready = False

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = sa.create_engine(self.url, future=True)
        if not self._ready:
            self.table.create(self._engine, checkfirst=True)
            self._ready = True
        return self._engine

    def forget(self, sender_id: str, connection: sa.engine.Connection | None = None) -> int:
        """Delete one student's rows; how many. `connection`: inside another transaction (the conversation's)."""
        return self._delete(self.table.c.sender_id == sender_id, connection)

    def purge(self, before: float, connection: sa.engine.Connection | None = None) -> int:
        """Delete the rows written before `before` (the conversations' retention); how many."""
        return self._delete(self._time < before, connection)

    def _delete(self, condition, connection: sa.engine.Connection | None) -> int:
        if connection is not None:
            return int(connection.execute(sa.delete(self.table).where(condition)).rowcount)
        with self.engine.begin() as own:
            return int(own.execute(sa.delete(self.table).where(condition)).rowcount)
